#include "domains/talent/service.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/crypto.h"
#include "db/await.h"
#include "domains/accounts/repo.h"
#include "domains/audit/service.h"
#include "domains/notify/service.h"
#include "domains/training/repo.h"
#include "media/repo.h"

namespace carecity::talent {
namespace {

namespace json = boost::json;
using accounts::Role;

constexpr int kSearchLimit = 100;
constexpr size_t kMaxSkills = 10;
constexpr size_t kMaxVillages = 10;

Error QualificationNotFound() { return Error::NotFound("talent.qualification_not_found"); }
Error InvitationNotFound() { return Error::NotFound("talent.invitation_not_found"); }

bool Oversees(const Principal& p) { return p.Has(Role::kTrainer) || p.Has(Role::kPlatformAdmin); }

bool IsLevel(std::string_view s) {
  return std::find(std::begin(kLevels), std::end(kLevels), s) != std::end(kLevels);
}

}  // namespace

int LevelRank(std::string_view level) {
  for (size_t i = 0; i < std::size(kLevels); ++i) {
    if (kLevels[i] == level) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

TalentService::TalentService(db::Store& store, const Clock& clock, boost::asio::thread_pool& cpu)
    : store_(store), clock_(clock), cpu_(cpu) {}

// ---- Qualifications ----

Result<Qualification> TalentService::SubmitQualificationTx(db::Tx& tx, const Principal& p, const std::string& level,
                                                           const std::string& number, const std::string& ip,
                                                           int64_t now_ms) {
  if (!IsLevel(level)) {
    return Error::Invalid("invalid_value", "level");
  }
  Qualification q;
  q.public_id = NewPublicId();
  q.user_id = p.user_id;
  q.level = level;
  q.number = number;
  q.created_at_ms = now_ms;
  if (!repo::SubmitQualification(tx, q)) {
    return Error::Conflict("talent.qualification_exists", "level");
  }
  auto stored = repo::QualificationOf(tx, p.user_id, level);
  audit::Record(tx, p.user_id, "talent.qualification.submitted", "training_qualification", stored->public_id,
                json::object{{"level", level}}, ip, now_ms);
  return *stored;
}

Task<Qualification> TalentService::SubmitQualification(const Principal& p, std::string level, std::string number,
                                                       std::string ip) {
  co_return co_await db::WriteTx(
      store_, [&](db::Tx& tx) { return SubmitQualificationTx(tx, p, level, number, ip, clock_.NowMs()); });
}

Task<std::vector<Qualification>> TalentService::Qualifications(const Principal& p,
                                                               std::optional<std::string> status) {
  if (status) {
    if (!Oversees(p)) {
      co_return Error::Forbidden();
    }
    if (*status != "pending" && *status != "verified" && *status != "rejected") {
      co_return Error::Invalid("invalid_value", "status");
    }
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Qualification>> {
    return status ? repo::QualificationsByStatus(tx, *status, 200) : repo::QualificationsOf(tx, p.user_id);
  });
}

Result<Qualification> TalentService::DecideQualificationTx(db::Tx& tx, const Principal& p, const std::string& id,
                                                           bool verify, const std::string& reason,
                                                           const std::string& ip, int64_t now_ms) {
  if (!IsPublicId(id)) {
    return QualificationNotFound();
  }
  const auto q = repo::FindQualification(tx, id);
  if (!q || (!Oversees(p) && q->user_id != p.user_id)) {
    return QualificationNotFound();
  }
  if (!Oversees(p)) {
    return Error::Forbidden();
  }
  if (q->user_id == p.user_id) {
    return Error::Forbidden("talent.own_qualification");
  }
  if (!repo::DecideQualification(tx, q->id, verify ? "verified" : "rejected", reason, p.user_id, now_ms)) {
    return Error::Conflict("talent.already_decided");
  }
  audit::Record(tx, p.user_id, verify ? "talent.qualification.verified" : "talent.qualification.rejected",
                "training_qualification", q->public_id, json::object{{"level", q->level}}, ip, now_ms);
  notify::Enqueue(tx, notify::Channel::kSite, std::to_string(q->user_id), q->user_id, "talent_qualification",
                  json::serialize(json::object{{"level", q->level}, {"status", verify ? "verified" : "rejected"}}),
                  now_ms);
  return *repo::FindQualification(tx, id);
}

Task<Qualification> TalentService::DecideQualification(const Principal& p, std::string id, bool verify,
                                                       std::string reason, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) {
    return DecideQualificationTx(tx, p, id, verify, reason, ip, clock_.NowMs());
  });
}

Task<Qualification> TalentService::UploadScan(const Principal& p, std::string id, std::string bytes,
                                              std::string ip) {
  if (!IsPublicId(id)) {
    co_return QualificationNotFound();
  }
  auto checked = co_await media::CheckAndHash(cpu_, bytes);
  if (!checked.ok()) {
    co_return std::move(checked).error();
  }
  const media::StoredFile file = std::move(*checked);
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Qualification> {
    const auto q = repo::FindQualification(tx, id);
    if (!q || q->user_id != p.user_id) {
      return QualificationNotFound();
    }
    const int64_t now = clock_.NowMs();
    media::repo::PutFile(tx, file, bytes, now);
    // The UPDATE decides: the holder's, still pending.
    if (!repo::SetQualificationScan(tx, q->id, p.user_id, file.sha256, file.content_type)) {
      return Error::Conflict("talent.already_decided");
    }
    audit::Record(tx, p.user_id, "talent.qualification.scan_uploaded", "training_qualification", q->public_id,
                  json::object{{"content_type", file.content_type}, {"size_bytes", file.size_bytes},
                               {"sha256", file.sha256}},
                  ip, now);
    return *repo::FindQualification(tx, id);
  });
}

Task<media::FileDownload> TalentService::Scan(const Principal& p, std::string id) {
  if (!IsPublicId(id)) {
    co_return Error::NotFound("talent.scan_not_found");
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<media::FileDownload> {
    const auto q = repo::FindQualification(tx, id);
    if (!q || q->scan_sha256.empty() || (q->user_id != p.user_id && !Oversees(p))) {
      return Error::NotFound("talent.scan_not_found");
    }
    auto bytes = media::repo::FileBytes(tx, q->scan_sha256);
    if (!bytes) {
      return Error::NotFound("talent.scan_not_found");
    }
    return media::FileDownload{q->scan_content_type,
                               media::SanitiseFileName(q->number, q->scan_content_type, "社工证"),
                               std::move(*bytes)};
  });
}

// ---- The pool ----

Entry TalentService::Complete(db::Tx& tx, Entry e, int64_t now_ms) const {
  int best = 0;
  for (const Qualification& q : repo::QualificationsOf(tx, e.user_id)) {
    if (q.status == "verified" && LevelRank(q.level) > best) {
      best = LevelRank(q.level);
      e.qualification = q.level;
    }
  }
  e.professional = e.qualification && Professional(*e.qualification);
  for (const training::Certificate& c : training::repo::CertificatesOf(tx, e.user_id)) {
    e.certificates.push_back(CertificateBrief{c.cert_no, c.level, c.programme_title, c.expires_at_ms, c.StateAt(now_ms)});
  }
  e.placed = repo::PlacedCount(tx, e.user_id);
  return e;
}

Result<Entry> TalentService::JoinTx(db::Tx& tx, const Principal& p, const EntryDraft& d, const std::string& ip,
                                    int64_t now_ms) {
  if (d.skills.empty()) {
    return Error::Invalid("missing_field", "skills");
  }
  if (d.skills.size() > kMaxSkills) {
    return Error::Invalid("too_many_items", "skills");
  }
  if (d.village_ids.size() > kMaxVillages) {
    return Error::Invalid("too_many_items", "village_ids");
  }
  const auto certificates = training::repo::CertificatesOf(tx, p.user_id);
  if (std::none_of(certificates.begin(), certificates.end(),
                   [&](const training::Certificate& c) { return c.StateAt(now_ms) == "valid"; })) {
    return Error::Unprocessable("talent.certificate_required");
  }
  for (size_t i = 0; i < d.village_ids.size(); ++i) {
    if (!accounts::repo::FindVillage(tx, d.village_ids[i])) {
      return Error{ErrorCode::kNotFound, "village_not_found", "village_ids[" + std::to_string(i) + "]", {}};
    }
  }
  const bool was_in = [&] {
    const auto e = repo::FindEntry(tx, p.user_id);
    return e && !e->withdrawn_at_ms;
  }();
  repo::UpsertEntry(tx, p.user_id, d.availability, d.intro, now_ms);
  repo::ReplaceSkills(tx, p.user_id, d.skills);
  repo::ReplaceVillages(tx, p.user_id, d.village_ids);
  if (!was_in) {
    audit::Record(tx, p.user_id, "talent.pool.joined", "user", std::to_string(p.user_id), json::object{}, ip, now_ms);
  }
  return Complete(tx, *repo::FindEntry(tx, p.user_id), now_ms);
}

Task<Entry> TalentService::Join(const Principal& p, EntryDraft d, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return JoinTx(tx, p, d, ip, clock_.NowMs()); });
}

Task<Entry> TalentService::Withdraw(const Principal& p, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Entry> {
    const int64_t now = clock_.NowMs();
    if (!repo::FindEntry(tx, p.user_id)) {
      return Error::NotFound("talent.not_in_pool");
    }
    if (repo::Withdraw(tx, p.user_id, now)) {
      audit::Record(tx, p.user_id, "talent.pool.withdrawn", "user", std::to_string(p.user_id), json::object{}, ip,
                    now);
    }
    return Complete(tx, *repo::FindEntry(tx, p.user_id), now);
  });
}

Task<Entry> TalentService::Mine(const Principal& p) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Entry> {
    auto e = repo::FindEntry(tx, p.user_id);
    if (!e) {
      return Error::NotFound("talent.not_in_pool");
    }
    return Complete(tx, std::move(*e), clock_.NowMs());
  });
}

Task<std::vector<Entry>> TalentService::Search(const Principal& p, SearchQuery q) {
  if (!Oversees(p) && !p.Has(Role::kOrgStaff)) {
    co_return Error::Forbidden();
  }
  repo::Search s;
  s.skill = q.skill;
  s.village_id = q.village_id;
  s.certificate_level = q.certificate_level;
  s.valid_certificate = !q.include_expired;
  if (q.qualification) {
    const int rank = LevelRank(*q.qualification);
    if (rank == 0) {
      co_return Error::Invalid("invalid_value", "qualification");
    }
    for (size_t i = rank - 1; i < std::size(kLevels); ++i) {
      s.qualification_levels.emplace_back(kLevels[i]);
    }
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Entry>> {
    const int64_t now = clock_.NowMs();
    std::vector<Entry> out;
    for (const int64_t id : repo::SearchIds(tx, s, now, kSearchLimit)) {
      out.push_back(Complete(tx, *repo::FindEntry(tx, id), now));
    }
    return out;
  });
}

// ---- Invitations ----

Result<Invitation> TalentService::InviteTx(db::Tx& tx, const Principal& p, const InvitationDraft& d,
                                           const std::string& ip, int64_t now_ms) {
  const auto project = IsPublicId(d.project_id) ? repo::FindProject(tx, d.project_id) : std::nullopt;
  if (!project) {
    return Error{ErrorCode::kNotFound, "market.project_not_found", "project_id", {}};
  }
  if (!p.HasOrgRole(Role::kOrgStaff, project->org_id)) {
    return Error::Forbidden();
  }
  Invitation inv;
  inv.public_id = NewPublicId();
  inv.user_id = d.user_id;
  inv.org_id = project->org_id;
  inv.role = d.role;
  inv.message = d.message;
  inv.created_at_ms = now_ms;
  if (!repo::InsertInvitationIfInPool(tx, inv, project->id, p.user_id)) {
    const auto e = repo::FindEntry(tx, d.user_id);
    if (!e || e->withdrawn_at_ms) {
      return Error{ErrorCode::kNotFound, "talent.not_in_pool", "user_id", {}};
    }
    return Error::Conflict("talent.already_invited", "user_id");
  }
  audit::Record(tx, p.user_id, "talent.invitation.created", "talent_invitation", inv.public_id,
                json::object{{"user_id", d.user_id}, {"project_id", d.project_id}}, ip, now_ms);
  notify::Enqueue(tx, notify::Channel::kSite, std::to_string(d.user_id), d.user_id, "talent_invitation",
                  json::serialize(json::object{{"invitation_id", inv.public_id}, {"project", project->title}}),
                  now_ms);
  return *repo::FindInvitation(tx, inv.public_id);
}

Task<Invitation> TalentService::Invite(const Principal& p, InvitationDraft d, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return InviteTx(tx, p, d, ip, clock_.NowMs()); });
}

Task<std::vector<Invitation>> TalentService::Invitations(const Principal& p, std::optional<int64_t> org_id) {
  if (org_id && !p.HasOrgRole(Role::kOrgStaff, *org_id) && !p.Has(Role::kPlatformAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Invitation>> {
    return org_id ? repo::InvitationsOfOrg(tx, *org_id) : repo::InvitationsOf(tx, p.user_id);
  });
}

Result<Invitation> TalentService::AnswerTx(db::Tx& tx, const Principal& p, const std::string& id, bool accept,
                                           const std::string& ip, int64_t now_ms) {
  const auto inv = IsPublicId(id) ? repo::FindInvitation(tx, id) : std::nullopt;
  if (!inv || inv->user_id != p.user_id) {
    return InvitationNotFound();
  }
  if (!repo::DecideInvitation(tx, inv->id, accept ? "accepted" : "declined", now_ms)) {
    return Error::Conflict("talent.already_answered");
  }
  audit::Record(tx, p.user_id, accept ? "talent.invitation.accepted" : "talent.invitation.declined",
                "talent_invitation", inv->public_id, json::object{}, ip, now_ms);
  return *repo::FindInvitation(tx, id);
}

Task<Invitation> TalentService::Answer(const Principal& p, std::string id, bool accept, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return AnswerTx(tx, p, id, accept, ip, clock_.NowMs()); });
}

Task<std::vector<Invitation>> TalentService::Team(std::string project_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Invitation>> {
    const auto project = IsPublicId(project_id) ? repo::FindProject(tx, project_id) : std::nullopt;
    if (!project) {
      return Error::NotFound("market.project_not_found");
    }
    return repo::TeamOf(tx, project->id);
  });
}

}  // namespace carecity::talent
