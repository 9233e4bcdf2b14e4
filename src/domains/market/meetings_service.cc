#include "domains/market/meetings_service.h"

#include <boost/json.hpp>

#include "core/crypto.h"
#include "db/await.h"
#include "domains/accounts/repo.h"
#include "domains/audit/service.h"
#include "domains/market/access.h"
#include "domains/market/repo.h"

namespace carecity::market {
namespace {

namespace json = boost::json;
using accounts::Principal;

constexpr int kListLimit = 100;
// A village may still shortlist for a day after the meeting (the report
// fills in as villages catch up), then the list is closed.
constexpr int64_t kShortlistGraceMs = 24LL * 60 * 60 * 1000;

Error MeetingNotFound() { return Error::NotFound("market.meeting_not_found"); }

void Audit(db::Tx& tx, int64_t actor, const std::string& action, const std::string& id, const json::object& detail,
           const std::string& ip, int64_t now_ms) {
  audit::Record(tx, {actor, action, "market_meeting", id, json::serialize(detail), ip}, now_ms);
}

std::optional<int64_t> ProjectId(db::Tx& tx, const std::string& public_id) {
  return IsPublicId(public_id) ? repo::ProjectIdByPublicId(tx, public_id) : std::nullopt;
}

}  // namespace

MeetingsService::MeetingsService(db::Store& store, const Clock& clock, events::EventsService& events,
                                 ContractsService& contracts)
    : store_(store), clock_(clock), events_(events), contracts_(contracts) {}

Result<Meeting> MeetingsService::Load(db::Tx& tx, int64_t meeting_id) const {
  auto m = repo::FindMeeting(tx, meeting_id);
  if (!m) {
    return MeetingNotFound();
  }
  // Date, venue and the host are the event's.
  const auto e = events_.FindTx(tx, m->event_id);
  if (!e) {
    return Error::Internal("meeting without its event");
  }
  m->description = e->description;
  m->host_org_id = e->org_id;
  m->host_org_name = e->org_name;
  m->venue_name = e->venue.name;
  m->venue_address = e->venue.address;
  m->starts_at_ms = e->starts_at_ms;
  m->ends_at_ms = e->ends_at_ms;
  m->report.attendees_checked_in = events_.CheckedInTx(tx, m->event_id);
  return std::move(*m);
}

Result<Meeting> MeetingsService::LoadByPublicId(db::Tx& tx, const std::string& id) const {
  const auto mid = IsPublicId(id) ? repo::MeetingIdByPublicId(tx, id) : std::nullopt;
  if (!mid) {
    return MeetingNotFound();
  }
  return Load(tx, *mid);
}

Result<int64_t> MeetingsService::CreateTx(db::Tx& tx, int64_t actor, const MeetingDraft& d, const std::string& ip,
                                          int64_t now_ms) {
  for (size_t i = 0; i < d.village_ids.size(); ++i) {
    if (!accounts::repo::FindVillage(tx, d.village_ids[i])) {
      return Error{ErrorCode::kNotFound, "village_not_found", "village_ids[" + std::to_string(i) + "]", {}};
    }
  }
  for (size_t i = 0; i < d.org_ids.size(); ++i) {
    if (!accounts::repo::FindOrg(tx, d.org_ids[i])) {
      return Error{ErrorCode::kNotFound, "org_not_found", "org_ids[" + std::to_string(i) + "]", {}};
    }
  }
  events::NewEvent e;
  e.org_id = d.host_org_id;
  e.title = d.title;
  e.description = d.description;
  e.type = "community";
  e.venue_id = d.venue_id;
  e.starts_at_ms = d.starts_at_ms;
  e.ends_at_ms = d.ends_at_ms;
  e.signup_opens_at_ms = now_ms;
  e.signup_closes_at_ms = d.signup_closes_at_ms > 0 ? d.signup_closes_at_ms : d.starts_at_ms;
  e.capacity = d.capacity;
  // Sign-ups are for the invited villages' people (their staff and
  // representatives); organisations' staff come with their booths.
  e.audience = "villages";
  e.village_ids = d.village_ids;
  e.per_person_limit = 1;
  CC_ASSIGN_OR_RETURN(const events::Event event, events_.CreateTx(tx, actor, e, now_ms, ip));
  const std::string public_id = NewPublicId();
  const int64_t id =
      repo::InsertMeeting(tx, public_id, event.id, d.title, d.seats_per_village, d.seats_per_org, actor, now_ms);
  for (const int64_t v : d.village_ids) {
    repo::InviteVillage(tx, id, v);
  }
  for (const int64_t o : d.org_ids) {
    repo::InviteOrg(tx, id, o);
  }
  Audit(tx, actor, "market.meeting.created", public_id,
        {{"event_id", event.id}, {"villages", d.village_ids.size()}, {"orgs", d.org_ids.size()}}, ip, now_ms);
  return id;
}

Task<Meeting> MeetingsService::Create(const Principal& p, MeetingDraft d, std::string ip) {
  if (!IsAdmin(p)) {
    co_return Error::Forbidden();
  }
  if (d.starts_at_ms <= clock_.NowMs()) {
    co_return Error::Invalid("in_the_past", "starts_at_ms");
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Meeting> {
    CC_ASSIGN_OR_RETURN(const int64_t id, CreateTx(tx, p.user_id, d, ip, clock_.NowMs()));
    return Load(tx, id);
  });
}

Task<std::vector<Meeting>> MeetingsService::List() {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Meeting>> {
    std::vector<Meeting> out;
    for (const Meeting& m : repo::ListMeetings(tx, kListLimit)) {
      CC_ASSIGN_OR_RETURN(Meeting full, Load(tx, m.id));
      out.push_back(std::move(full));
    }
    return out;
  });
}

Task<Meeting> MeetingsService::Get(std::string id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) { return LoadByPublicId(tx, id); });
}

Result<bool> MeetingsService::AddBoothTx(db::Tx& tx, int64_t actor, int64_t meeting_id, int64_t project_id,
                                         int64_t starts_at_ms, int64_t ends_at_ms, const std::string& table_no,
                                         const std::string& ip, int64_t now_ms) {
  CC_ASSIGN_OR_RETURN(const Meeting m, Load(tx, meeting_id));
  if (starts_at_ms < m.starts_at_ms || ends_at_ms > m.ends_at_ms || ends_at_ms <= starts_at_ms) {
    return Error::Unprocessable("market.booth_time", "starts_at_ms");
  }
  const std::string public_id = NewPublicId();
  if (!repo::InsertBooth(tx, public_id, meeting_id, project_id, starts_at_ms, ends_at_ms, table_no, actor, now_ms)) {
    const auto x = repo::FindProject(tx, project_id);
    if (!x || x->status != "approved") {
      return Error::NotFound("market.project_not_found");
    }
    if (!repo::IsInvitedOrg(tx, meeting_id, x->org_id)) {
      return Error::Unprocessable("market.not_invited", "project_id");
    }
    return Error::Conflict("market.booth_exists");
  }
  Audit(tx, actor, "market.meeting.booth_added", m.public_id, {{"booth_id", public_id}, {"project_id", project_id}},
        ip, now_ms);
  return true;
}

Task<Meeting> MeetingsService::AddBooth(const Principal& p, std::string id, std::string project_id,
                                        int64_t starts_at_ms, int64_t ends_at_ms, std::string table_no,
                                        std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Meeting> {
    CC_ASSIGN_OR_RETURN(const Meeting m, LoadByPublicId(tx, id));
    const auto pid = ProjectId(tx, project_id);
    const auto x = pid ? repo::FindProject(tx, *pid) : std::nullopt;
    if (!x || (x->status != "approved" && !IsOrgStaff(p, x->org_id) && !IsAdmin(p))) {
      return Error::NotFound("market.project_not_found");
    }
    if (!IsOrgStaff(p, x->org_id) && !IsAdmin(p)) {
      return Error::Forbidden();
    }
    const int64_t now = clock_.NowMs();
    if (now >= m.ends_at_ms) {
      return Error::Conflict("market.meeting_over");
    }
    CC_TRY(AddBoothTx(tx, p.user_id, m.id, x->id, starts_at_ms, ends_at_ms, table_no, ip, now));
    return Load(tx, m.id);
  });
}

Task<Meeting> MeetingsService::RemoveBooth(const Principal& p, std::string id, std::string booth_id, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Meeting> {
    CC_ASSIGN_OR_RETURN(const Meeting m, LoadByPublicId(tx, id));
    const auto b = repo::FindBooth(tx, m.id, booth_id);
    if (!b) {
      return Error::NotFound("market.booth_not_found");
    }
    if (!IsOrgStaff(p, b->org_id) && !IsAdmin(p)) {
      return Error::Forbidden();
    }
    const int64_t now = clock_.NowMs();
    if (now >= m.ends_at_ms) {
      return Error::Conflict("market.meeting_over");
    }
    if (!repo::DeleteBooth(tx, b->id)) {
      return Error::Conflict("market.booth_shortlisted");
    }
    Audit(tx, p.user_id, "market.meeting.booth_removed", m.public_id, {{"booth_id", booth_id}}, ip, now);
    return Load(tx, m.id);
  });
}

Result<bool> MeetingsService::ShortlistTx(db::Tx& tx, int64_t actor, int64_t meeting_id, int64_t village_id,
                                          int64_t project_id, int64_t now_ms) {
  if (!repo::InsertShortlist(tx, meeting_id, village_id, project_id, actor, now_ms)) {
    if (!repo::IsInvitedVillage(tx, meeting_id, village_id)) {
      return Error::Unprocessable("market.not_invited", "village_id");
    }
    if (!repo::HasBooth(tx, meeting_id, project_id)) {
      return Error::Unprocessable("market.not_presented", "project_id");
    }
    // Already on the list: adding again changes nothing.
  }
  return true;
}

Task<std::vector<ShortlistItem>> MeetingsService::Shortlist(const Principal& p, std::string id, int64_t village_id,
                                                            std::string project_id, bool add) {
  if (!IsVillageStaff(p, village_id)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<std::vector<ShortlistItem>> {
    CC_ASSIGN_OR_RETURN(const Meeting m, LoadByPublicId(tx, id));
    const int64_t now = clock_.NowMs();
    if (now >= m.ends_at_ms + kShortlistGraceMs) {
      return Error::Conflict("market.meeting_over");
    }
    const auto pid = ProjectId(tx, project_id);
    if (!pid) {
      return Error::Unprocessable("market.not_presented", "project_id");
    }
    if (add) {
      CC_TRY(ShortlistTx(tx, p.user_id, m.id, village_id, *pid, now));
    } else if (!repo::DeleteShortlist(tx, m.id, village_id, *pid)) {
      return Error::Conflict("market.shortlist_requested");
    }
    return repo::Shortlist(tx, m.id, village_id, std::nullopt);
  });
}

Task<std::vector<ShortlistItem>> MeetingsService::VillageShortlist(const Principal& p, std::string id,
                                                                   int64_t village_id) {
  if (!IsVillageStaff(p, village_id) && !IsAdmin(p)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<ShortlistItem>> {
    CC_ASSIGN_OR_RETURN(const Meeting m, LoadByPublicId(tx, id));
    return repo::Shortlist(tx, m.id, village_id, std::nullopt);
  });
}

Task<std::vector<ShortlistItem>> MeetingsService::OrgInterest(const Principal& p, std::string id, int64_t org_id) {
  if (!IsOrgStaff(p, org_id) && !IsAdmin(p)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<ShortlistItem>> {
    CC_ASSIGN_OR_RETURN(const Meeting m, LoadByPublicId(tx, id));
    return repo::Shortlist(tx, m.id, std::nullopt, org_id);
  });
}

Result<ShortlistConverted> MeetingsService::ConvertTx(db::Tx& tx, const Principal& p, int64_t meeting_id,
                                                      int64_t village_id, const std::string& ip, int64_t now_ms) {
  const auto village = accounts::repo::FindVillage(tx, village_id);
  if (!village) {
    return Error::NotFound("village_not_found");
  }
  if (!village->collective_economy) {
    return Error::Unprocessable("market.not_rural", "village_id");
  }
  ShortlistConverted out;
  int64_t pending = 0;
  for (const ShortlistItem& item : repo::Shortlist(tx, meeting_id, village_id, std::nullopt)) {
    if (item.request_public_id) {
      continue;
    }
    ++pending;
    auto id = contracts_.RequestQuoteTx(tx, p.user_id, village_id, item.booth.project_id, std::nullopt,
                                        "供需见面会意向：请报价", ip, now_ms);
    if (!id.ok()) {
      if (id.error().key == "market.request_exists") {
        out.skipped.push_back(item.booth.project_public_id);
        continue;
      }
      return id.error();
    }
    repo::LinkShortlistRequest(tx, meeting_id, village_id, item.booth.project_id, *id);
    out.created.push_back(RequestViewOf(p, *repo::FindQuoteRequest(tx, *id)));
  }
  if (pending == 0) {
    return Error::Conflict("market.shortlist_empty");
  }
  return out;
}

Task<ShortlistConverted> MeetingsService::Convert(const Principal& p, std::string id, int64_t village_id,
                                                  std::string ip) {
  if (!IsVillageStaff(p, village_id)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ShortlistConverted> {
    CC_ASSIGN_OR_RETURN(const Meeting m, LoadByPublicId(tx, id));
    return ConvertTx(tx, p, m.id, village_id, ip, clock_.NowMs());
  });
}

}  // namespace carecity::market
