// SQL for uploaded images (media_images, media_variants) and documents
// (stored_files). Every function
// runs inside the caller's transaction and throws db::DbError on database
// failure. Variant bytes are BLOB on SQLite and BYTEA on PostgreSQL (sent
// and read as hex there: the store speaks the text protocol).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "db/tx.h"
#include "media/model.h"

namespace carecity::media::repo {

// Inserts the image row (its public id, owner, size, type, time) and
// returns its id.
int64_t InsertImage(db::Tx& tx, const Image& image);
void InsertVariant(db::Tx& tx, int64_t image_id, std::string_view variant, int width, int height,
                   const std::string& etag, const std::string& bytes);

std::optional<Image> FindImage(db::Tx& tx, std::string_view public_id);
// The variant; its bytes are not read when `known_etag` (the client's
// If-None-Match) is its ETag (not_modified).
std::optional<VariantBody> FindVariant(db::Tx& tx, std::string_view public_id, std::string_view variant,
                                       std::string_view known_etag);

// Deletes the image (and its variants) if `owner_id` owns it and nothing
// uses it, in one statement; false if no such row.
bool DeleteUnattached(db::Tx& tx, std::string_view public_id, int64_t owner_id);

// Marks the owner's unattached image as used by `ref`, in one statement;
// nullopt if it is not theirs, absent or already used.
std::optional<Image> Attach(db::Tx& tx, std::string_view public_id, int64_t owner_id, const std::string& ref);
// Clears `ref`'s use of the image; false if `ref` was not using it.
bool Detach(db::Tx& tx, std::string_view public_id, const std::string& ref);

// ---- stored_files: content-addressed documents (media/files.h) ----

// Stores `bytes` under `meta.sha256` unless the same content is stored
// already (one INSERT ... ON CONFLICT DO NOTHING, so two uploads of one file
// at once both succeed).
void PutFile(db::Tx& tx, const StoredFile& meta, const std::string& bytes, int64_t now_ms);

// The bytes stored under `sha256` (nullopt: none).
std::optional<std::string> FileBytes(db::Tx& tx, const std::string& sha256);

}  // namespace carecity::media::repo
