// The 供需见面会 (public-service supply–demand meeting): a fund or platform
// admin creates it as an event (date, venue, sign-ups and check-ins are the
// events domain's) and invites villages and organisations; invited
// organisations put chosen approved projects on the booth list with times;
// invited villages shortlist presented projects from their phones during the
// meeting; organisations see which villages shortlisted them; afterwards a
// village turns its shortlist into quote requests in one tap. The public
// page reports what the meeting yielded (docs/design-market.md "The meeting").
//
// Who may do what: admins create meetings and may edit any booth list;
// org_staff of an invited organisation add and remove their own booths;
// village_staff of an invited village keep that village's shortlist and
// convert it; org_staff see the villages that shortlisted their projects.
// Everyone sees meetings, booths and reports (no person is named).
// Thread-safety: every method is safe to call concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domains/events/service.h"
#include "domains/market/contracts_service.h"
#include "domains/market/meetings_repo.h"

namespace carecity::market {

struct MeetingDraft {
  std::string title;
  std::string description;
  int64_t host_org_id = 0;  // the organisation that runs the day (the event's organiser)
  int64_t venue_id = 0;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  int64_t signup_closes_at_ms = 0;  // 0: when it starts
  int64_t capacity = 0;             // the event's seats in all
  int64_t seats_per_village = 3;
  int64_t seats_per_org = 2;
  std::vector<int64_t> village_ids;
  std::vector<int64_t> org_ids;
};

struct ShortlistConverted {
  std::vector<QuoteRequestView> created;
  std::vector<std::string> skipped;  // project ids with a quote request already open
};

class MeetingsService {
 public:
  MeetingsService(db::Store& store, const Clock& clock, events::EventsService& events, ContractsService& contracts);

  // fund_admin / platform_admin. Errors: the event's (naming the field),
  // village_not_found / org_not_found.
  Task<Meeting> Create(const accounts::Principal& p, MeetingDraft d, std::string ip);
  Result<int64_t> CreateTx(db::Tx& tx, int64_t actor, const MeetingDraft& d, const std::string& ip, int64_t now_ms);
  Task<std::vector<Meeting>> List();
  Task<Meeting> Get(std::string id);

  // org_staff of the project's (invited) organisation, or an admin; the slot
  // inside the meeting's hours. Errors: market.project_not_found,
  // market.not_invited, market.booth_time, market.booth_exists.
  Task<Meeting> AddBooth(const accounts::Principal& p, std::string id, std::string project_id, int64_t starts_at_ms,
                         int64_t ends_at_ms, std::string table_no, std::string ip);
  Result<bool> AddBoothTx(db::Tx& tx, int64_t actor, int64_t meeting_id, int64_t project_id, int64_t starts_at_ms,
                          int64_t ends_at_ms, const std::string& table_no, const std::string& ip, int64_t now_ms);
  Task<Meeting> RemoveBooth(const accounts::Principal& p, std::string id, std::string booth_id, std::string ip);

  // village_staff of an invited village, until the meeting ends. Errors:
  // market.not_invited, market.not_presented, market.meeting_over.
  Task<std::vector<ShortlistItem>> Shortlist(const accounts::Principal& p, std::string id, int64_t village_id,
                                             std::string project_id, bool add);
  Result<bool> ShortlistTx(db::Tx& tx, int64_t actor, int64_t meeting_id, int64_t village_id, int64_t project_id,
                           int64_t now_ms);
  Task<std::vector<ShortlistItem>> VillageShortlist(const accounts::Principal& p, std::string id, int64_t village_id);
  // org_staff of `org_id`: which villages shortlisted its projects.
  Task<std::vector<ShortlistItem>> OrgInterest(const accounts::Principal& p, std::string id, int64_t org_id);
  // village_staff: every shortlisted project without a quote request gets
  // one (RequestQuote's rules; market.not_rural writes nothing).
  Task<ShortlistConverted> Convert(const accounts::Principal& p, std::string id, int64_t village_id, std::string ip);
  Result<ShortlistConverted> ConvertTx(db::Tx& tx, const accounts::Principal& p, int64_t meeting_id,
                                       int64_t village_id, const std::string& ip, int64_t now_ms);

 private:
  Result<Meeting> Load(db::Tx& tx, int64_t meeting_id) const;
  Result<Meeting> LoadByPublicId(db::Tx& tx, const std::string& id) const;

  db::Store& store_;
  const Clock& clock_;
  events::EventsService& events_;
  ContractsService& contracts_;
};

}  // namespace carecity::market
