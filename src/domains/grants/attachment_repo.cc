#include "domains/grants/attachment_repo.h"

#include <fmt/format.h>

#include "core/crypto.h"

namespace carecity::grants::repo {
namespace {

constexpr const char* kColumns =
    "id, public_id, application_id, label, file_name, content_type, size_bytes, sha256, uploaded_by, created_at_ms";

// The amend rule (repo::Amend): still draft or submitted, before the close.
// `app` names the application's id; `now` the parameter holding the time.
std::string StillAmendable(std::string_view app, std::string_view now) {
  return fmt::format(
      "EXISTS (SELECT 1 FROM grants_applications a JOIN grants_calls cl ON cl.id = a.call_id "
      "WHERE a.id = {} AND a.status IN ('draft', 'submitted') AND {} < cl.closes_at_ms)",
      app, now);
}

Attachment AttachmentFrom(const db::Row& r) {
  Attachment a;
  a.id = r.Int(0);
  a.public_id = r.Text(1);
  a.application_id = r.Int(2);
  a.label = r.Text(3);
  a.file_name = r.Text(4);
  a.content_type = r.Text(5);
  a.size_bytes = r.Int(6);
  a.sha256 = r.Text(7);
  a.uploaded_by = r.Int(8);
  a.created_at_ms = r.Int(9);
  return a;
}

}  // namespace

std::optional<Attachment> InsertAttachment(db::Tx& tx, int64_t application_id, const std::string& public_id,
                                           const NewAttachment& file, int64_t uploaded_by, int64_t now_ms) {
  // libpq speaks text here: BYTEA travels as hex.
  const bool pg = tx.dialect() == db::Dialect::kPostgres;
  const std::string sql = fmt::format(
      "INSERT INTO grants_attachments (public_id, application_id, label, file_name, content_type, size_bytes, "
      "sha256, bytes, uploaded_by, created_at_ms) "
      "SELECT CAST($1 AS TEXT), CAST($2 AS BIGINT), CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS TEXT), "
      "CAST($6 AS BIGINT), CAST($7 AS TEXT), {}, CAST($9 AS BIGINT), CAST($10 AS BIGINT) WHERE {} "
      "AND (SELECT COUNT(*) FROM grants_attachments x WHERE x.application_id = $2) < {} "
      "RETURNING {}",
      pg ? "decode($8, 'hex')" : "CAST($8 AS BLOB)", StillAmendable("$2", "$10"), kMaxAttachments, kColumns);
  auto rows = tx.Query(sql, {public_id, application_id, file.label, file.file_name, file.content_type,
                             static_cast<int64_t>(file.bytes.size()), file.sha256,
                             pg ? BytesToHex(file.bytes) : file.bytes, uploaded_by, now_ms});
  if (rows.empty()) {
    return std::nullopt;
  }
  return AttachmentFrom(rows.front());
}

std::vector<Attachment> ListAttachments(db::Tx& tx, int64_t application_id) {
  auto rows = tx.Query(fmt::format("SELECT {} FROM grants_attachments WHERE application_id = $1 ORDER BY id", kColumns),
                       {application_id});
  std::vector<Attachment> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(AttachmentFrom(rows[i]));
  }
  return out;
}

std::optional<Attachment> FindAttachment(db::Tx& tx, int64_t application_id, const std::string& public_id) {
  auto rows = tx.Query(
      fmt::format("SELECT {} FROM grants_attachments WHERE application_id = $1 AND public_id = $2", kColumns),
      {application_id, public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return AttachmentFrom(rows.front());
}

std::string AttachmentBytes(db::Tx& tx, int64_t id) {
  const bool pg = tx.dialect() == db::Dialect::kPostgres;
  auto rows = tx.Query(fmt::format("SELECT {} FROM grants_attachments WHERE id = $1",
                                   pg ? "encode(bytes, 'hex')" : "bytes"),
                       {id});
  if (rows.empty()) {
    return {};
  }
  if (!pg) {
    return rows.front().Text(0);
  }
  auto bytes = HexToBytes(rows.front().Text(0));
  if (!bytes) {
    throw db::DbError(db::DbError::Kind::kOther, "bad hex from the database");
  }
  return std::move(*bytes);
}

bool DeleteAttachment(db::Tx& tx, int64_t application_id, int64_t id, int64_t now_ms) {
  return tx.Exec(fmt::format("DELETE FROM grants_attachments WHERE id = $1 AND application_id = $2 AND {}",
                             StillAmendable("$2", "$3")),
                 {id, application_id, now_ms}) > 0;
}

}  // namespace carecity::grants::repo
