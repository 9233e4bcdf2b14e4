// SQL for application attachments (grants_attachments). Runs in the
// caller's transaction. The rules on how many and until when are in the
// writing statements: the INSERT ... SELECT carries the state, the deadline
// and the count; the DELETE carries the state and the deadline.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/grants/attachments.h"

namespace carecity::grants::repo {

// Stores `file` on application `application_id` if the application is
// still draft or submitted, its call has not closed at `now_ms`, and it has
// fewer than kMaxAttachments files, all decided by the one INSERT. Call it
// holding the application's row lock (db::LockRow), so that on PostgreSQL a
// concurrent upload's row is counted. Returns the row, or nullopt if the
// statement wrote nothing.
std::optional<Attachment> InsertAttachment(db::Tx& tx, int64_t application_id, const std::string& public_id,
                                           const NewAttachment& file, int64_t uploaded_by, int64_t now_ms);

// The application's files, oldest first, without their bytes.
std::vector<Attachment> ListAttachments(db::Tx& tx, int64_t application_id);

// One file of the application by its public id (nullopt: none such).
std::optional<Attachment> FindAttachment(db::Tx& tx, int64_t application_id, const std::string& public_id);

// The stored bytes of attachment `id`.
std::string AttachmentBytes(db::Tx& tx, int64_t id);

// Deletes the file if its application is still draft or submitted and its
// call has not closed at `now_ms` (one statement). False if not deleted.
bool DeleteAttachment(db::Tx& tx, int64_t application_id, int64_t id, int64_t now_ms);

}  // namespace carecity::grants::repo
