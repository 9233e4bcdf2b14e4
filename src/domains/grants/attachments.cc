// Attachments of applications: the pure checks (attachments.h) and
// GrantsService's attachment methods (service.h), kept out of service.cc.
#include "domains/grants/attachments.h"

#include <boost/json.hpp>

#include <utility>

#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "db/lock.h"
#include "domains/audit/service.h"
#include "domains/grants/attachment_repo.h"
#include "domains/grants/repo.h"
#include "domains/grants/service.h"
#include "media/files.h"

namespace carecity::grants {
namespace {

namespace json = boost::json;
using accounts::Role;

Error AppNotFound() { return Error::NotFound("grants.application_not_found"); }
Error AttachmentNotFound() { return Error::NotFound("grants.attachment_not_found"); }

// The label or name as given, or the field it fails on. A name's control
// characters are dropped later (SanitiseFileName), a label's refused.
Status CheckText(std::string_view value, const std::string& field, size_t max, bool refuse_controls) {
  if (!IsValidUtf8(value)) {
    return Error::Invalid("invalid_utf8", field);
  }
  if (refuse_controls && HasControlChars(value, false)) {
    return Error::Invalid("invalid_characters", field);
  }
  if (CodePointCount(value) > max) {
    return Error::Invalid("too_long", field);
  }
  return Status();
}

// A refused INSERT or DELETE: the reason, read again under the row lock.
Error WhyRefused(db::Tx& tx, int64_t app_id, int64_t now_ms, Error otherwise) {
  const auto a = repo::FindApplication(tx, app_id);
  if (a->status != "draft" && a->status != "submitted") {
    return Error::Conflict("grants.not_amendable");
  }
  if (now_ms >= repo::FindCall(tx, a->call_id)->closes_at_ms) {
    return Error::Conflict("grants.deadline_passed");
  }
  return otherwise;
}

void AuditFile(db::Tx& tx, int64_t actor, const std::string& action, const std::string& app_public_id,
               const Attachment& f, const std::string& ip, int64_t now_ms) {
  const json::object detail{{"attachment_id", f.public_id},
                            {"name", f.file_name},
                            {"content_type", f.content_type},
                            {"size_bytes", f.size_bytes},
                            {"sha256", f.sha256}};
  audit::Record(tx, {actor, action, "grants_application", app_public_id, json::serialize(detail), ip}, now_ms);
}

}  // namespace

json::object AttachmentJson(const std::string& app_public_id, const Attachment& f) {
  return json::object{{"id", f.public_id},
                      {"label", f.label},
                      {"name", f.file_name},
                      {"content_type", f.content_type},
                      {"size_bytes", f.size_bytes},
                      {"sha256", f.sha256},
                      {"created_at_ms", f.created_at_ms},
                      {"url", "/api/v1/grants/applications/" + app_public_id + "/attachments/" + f.public_id}};
}

json::array AttachmentsJson(const std::string& app_public_id, const std::vector<Attachment>& files) {
  json::array out;
  for (const Attachment& f : files) {
    out.push_back(AttachmentJson(app_public_id, f));
  }
  return out;
}

Task<Attachment> GrantsService::AddAttachment(const Principal& p, std::string app_id, std::string label,
                                              std::string name, std::string bytes, std::string ip) {
  if (!IsPublicId(app_id)) {
    co_return AppNotFound();
  }
  label = Trim(label);
  CC_CO_TRY(CheckText(label, "label", kMaxAttachmentLabel, true));
  CC_CO_TRY(media::CheckUploadName(name));
  if (bytes.empty()) {
    co_return Error::Invalid("grants.attachment_empty", "file");
  }
  if (static_cast<int64_t>(bytes.size()) > kMaxAttachmentBytes) {
    co_return Error{ErrorCode::kTooLarge, "grants.attachment_too_large", "file", {}};
  }
  const auto type = media::SniffFileType(bytes);
  if (!type) {
    co_return Error::Unprocessable("grants.attachment_type", "file");
  }
  NewAttachment file{std::move(label), media::SanitiseFileName(name, *type), *type, {}, std::move(bytes)};
  // Hashing 10 MiB is CPU work: not on an I/O thread, nor the SQLite writer.
  file.sha256 = co_await db::OnPool(cpu_, [&file] { return Sha256Hex(file.bytes); });
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Attachment> {
    const int64_t now = clock_.NowMs();
    const auto id = repo::ApplicationIdByPublicId(tx, app_id);
    if (!id) {
      return AppNotFound();
    }
    // Lock, then the INSERT decides: on PostgreSQL a concurrent upload's
    // row is committed (and counted) before this statement's snapshot.
    db::LockRow(tx, "grants_applications", *id);
    const auto a = repo::FindApplication(tx, *id);
    if (!p.HasOrgRole(Role::kOrgStaff, a->org_id)) {
      return AppNotFound();
    }
    auto stored = repo::InsertAttachment(tx, *id, NewPublicId(), file, p.user_id, now);
    if (!stored) {
      return WhyRefused(tx, *id, now, Error::Conflict("grants.too_many_attachments", "file"));
    }
    AuditFile(tx, p.user_id, "grants.attachment.uploaded", a->public_id, *stored, ip, now);
    return std::move(*stored);
  });
}

Task<AttachmentFile> GrantsService::GetAttachment(std::optional<Principal> p, std::string app_id,
                                                  std::string attachment_id) {
  if (!IsPublicId(app_id) || !IsPublicId(attachment_id)) {
    co_return AppNotFound();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<AttachmentFile> {
    const auto id = repo::ApplicationIdByPublicId(tx, app_id);
    if (!id) {
      return AppNotFound();
    }
    // Who reads the application in full reads its files; the public view
    // (an eligible application shown for support votes) does not.
    auto v = ViewTx(tx, p, *id);
    if (!v.ok() || !(v->owner || v->admin || v->reviewer)) {
      return AppNotFound();
    }
    auto meta = repo::FindAttachment(tx, *id, attachment_id);
    if (!meta) {
      return AttachmentNotFound();
    }
    AttachmentFile out;
    out.bytes = repo::AttachmentBytes(tx, meta->id);
    out.meta = std::move(*meta);
    return out;
  });
}

Task<Attachment> GrantsService::DeleteAttachment(const Principal& p, std::string app_id, std::string attachment_id,
                                                 std::string ip) {
  if (!IsPublicId(app_id) || !IsPublicId(attachment_id)) {
    co_return AppNotFound();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Attachment> {
    const int64_t now = clock_.NowMs();
    const auto id = repo::ApplicationIdByPublicId(tx, app_id);
    if (!id) {
      return AppNotFound();
    }
    const auto a = repo::FindApplication(tx, *id);
    if (!p.HasOrgRole(Role::kOrgStaff, a->org_id)) {
      return AppNotFound();
    }
    auto file = repo::FindAttachment(tx, *id, attachment_id);
    if (!file) {
      return AttachmentNotFound();
    }
    // The state and the deadline are decided by the DELETE itself.
    if (!repo::DeleteAttachment(tx, *id, file->id, now)) {
      return WhyRefused(tx, *id, now, AttachmentNotFound());
    }
    AuditFile(tx, p.user_id, "grants.attachment.deleted", a->public_id, *file, ip, now);
    return std::move(*file);
  });
}

}  // namespace carecity::grants
