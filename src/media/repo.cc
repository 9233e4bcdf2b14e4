#include "media/repo.h"

#include <fmt/format.h>

#include "core/crypto.h"

namespace carecity::media::repo {
namespace {

constexpr const char* kImageColumns =
    "id, public_id, owner_id, width, height, source_type, attached_to, created_at_ms";

Image ImageFrom(const db::Row& r) {
  Image i;
  i.id = r.Int(0);
  i.public_id = r.Text(1);
  i.owner_id = r.Int(2);
  i.width = static_cast<int>(r.Int(3));
  i.height = static_cast<int>(r.Int(4));
  i.source_type = r.Text(5);
  i.attached_to = r.OptText(6);
  i.created_at_ms = r.Int(7);
  return i;
}

// libpq speaks text here: BYTEA travels as hex.
std::string Unhex(const std::string& hex) {
  auto bytes = HexToBytes(hex);
  if (!bytes) {
    throw db::DbError(db::DbError::Kind::kOther, "bad hex from the database");
  }
  return std::move(*bytes);
}

}  // namespace

int64_t InsertImage(db::Tx& tx, const Image& image) {
  return tx.Insert(
      "INSERT INTO media_images (public_id, owner_id, width, height, source_type, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {image.public_id, image.owner_id, image.width, image.height, image.source_type, image.created_at_ms});
}

void InsertVariant(db::Tx& tx, int64_t image_id, std::string_view variant, int width, int height,
                   const std::string& etag, const std::string& bytes) {
  if (tx.dialect() == db::Dialect::kPostgres) {
    tx.Exec(
        "INSERT INTO media_variants (image_id, variant, width, height, etag, bytes) "
        "VALUES ($1, $2, $3, $4, $5, decode($6, 'hex'))",
        {image_id, variant, width, height, etag, BytesToHex(bytes)});
    return;
  }
  tx.Exec(
      "INSERT INTO media_variants (image_id, variant, width, height, etag, bytes) "
      "VALUES ($1, $2, $3, $4, $5, CAST($6 AS BLOB))",
      {image_id, variant, width, height, etag, bytes});
}

std::optional<Image> FindImage(db::Tx& tx, std::string_view public_id) {
  auto rows = tx.Query(fmt::format("SELECT {} FROM media_images WHERE public_id = $1", kImageColumns), {public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ImageFrom(rows.front());
}

std::optional<VariantBody> FindVariant(db::Tx& tx, std::string_view public_id, std::string_view variant,
                                       std::string_view known_etag) {
  const bool pg = tx.dialect() == db::Dialect::kPostgres;
  auto rows = tx.Query(fmt::format("SELECT v.etag, v.etag = $3, CASE WHEN v.etag = $3 THEN NULL ELSE {} END "
                                   "FROM media_variants v JOIN media_images i ON i.id = v.image_id "
                                   "WHERE i.public_id = $1 AND v.variant = $2",
                                   pg ? "encode(v.bytes, 'hex')" : "v.bytes"),
                       {public_id, variant, known_etag});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  VariantBody body;
  body.etag = r.Text(0);
  body.not_modified = r.Bool(1);
  if (!body.not_modified) {
    body.bytes = pg ? Unhex(r.Text(2)) : r.Text(2);
  }
  return body;
}

bool DeleteUnattached(db::Tx& tx, std::string_view public_id, int64_t owner_id) {
  // One statement decides (an attach racing it either wins or finds no
  // row); the variants go with it (ON DELETE CASCADE, foreign keys are on).
  return tx.Exec("DELETE FROM media_images WHERE public_id = $1 AND owner_id = $2 AND attached_to IS NULL",
                 {public_id, owner_id}) > 0;
}

std::optional<Image> Attach(db::Tx& tx, std::string_view public_id, int64_t owner_id, const std::string& ref) {
  auto rows = tx.Query(fmt::format("UPDATE media_images SET attached_to = $3 WHERE public_id = $1 AND owner_id = $2 "
                                   "AND attached_to IS NULL RETURNING {}",
                                   kImageColumns),
                       {public_id, owner_id, ref});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ImageFrom(rows.front());
}

bool Detach(db::Tx& tx, std::string_view public_id, const std::string& ref) {
  return tx.Exec("UPDATE media_images SET attached_to = NULL WHERE public_id = $1 AND attached_to = $2",
                 {public_id, ref}) > 0;
}

void PutFile(db::Tx& tx, const StoredFile& meta, const std::string& bytes, int64_t now_ms) {
  // libpq speaks text here: BYTEA travels as hex.
  const bool pg = tx.dialect() == db::Dialect::kPostgres;
  tx.Exec(fmt::format("INSERT INTO stored_files (sha256, content_type, size_bytes, bytes, created_at_ms) "
                      "VALUES ($1, $2, $3, {}, $5) ON CONFLICT (sha256) DO NOTHING",
                      pg ? "decode($4, 'hex')" : "CAST($4 AS BLOB)"),
          {meta.sha256, meta.content_type, meta.size_bytes, pg ? BytesToHex(bytes) : bytes, now_ms});
}

std::optional<std::string> FileBytes(db::Tx& tx, const std::string& sha256) {
  const bool pg = tx.dialect() == db::Dialect::kPostgres;
  const auto rows = tx.Query(
      fmt::format("SELECT {} FROM stored_files WHERE sha256 = $1", pg ? "encode(bytes, 'hex')" : "bytes"), {sha256});
  if (rows.empty()) {
    return std::nullopt;
  }
  return pg ? HexToBytes(rows.front().Text(0)) : std::optional(rows.front().Text(0));
}

}  // namespace carecity::media::repo
