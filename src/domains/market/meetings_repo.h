// SQL for the 供需见面会 (supply–demand meeting): the meeting beside its
// event, invitations, booths and shortlists. Runs in the caller's
// transaction; each write is one statement that decides (invited, approved
// and the organisation's own, presented at a booth, once by its key).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/money.h"
#include "db/tx.h"

namespace carecity::market {

struct Booth {
  int64_t id = 0;
  std::string public_id;
  int64_t org_id = 0;
  std::string org_name;
  int64_t project_id = 0;
  std::string project_public_id;
  std::string project_title;
  std::string project_type;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  std::string table_no;
  int64_t shortlisted_by = 0;  // how many villages
};

struct NamedId {
  int64_t id = 0;
  std::string name;
};

struct MeetingReport {
  int64_t projects_presented = 0;
  int64_t villages_invited = 0;
  int64_t villages_shortlisting = 0;
  int64_t intentions = 0;      // shortlist entries (意向)
  int64_t quote_requests = 0;  // of them turned into quote requests
  int64_t contracts = 0;       // signed from those requests (in notice, active, completed)
  Fen contracts_fen = 0;
  int64_t attendees_checked_in = 0;
};

struct Meeting {
  int64_t id = 0;
  std::string public_id;
  int64_t event_id = 0;
  std::string title;
  std::string description;
  int64_t host_org_id = 0;
  std::string host_org_name;
  std::string venue_name;
  std::string venue_address;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  int64_t seats_per_village = 0;
  int64_t seats_per_org = 0;
  int64_t created_at_ms = 0;
  std::vector<NamedId> villages;
  std::vector<NamedId> orgs;
  std::vector<Booth> booths;
  MeetingReport report;
};

struct ShortlistItem {
  int64_t village_id = 0;
  std::string village_name;
  Booth booth;
  std::optional<std::string> request_public_id;
  std::optional<std::string> request_status;
  int64_t created_at_ms = 0;
};

namespace repo {

int64_t InsertMeeting(db::Tx& tx, const std::string& public_id, int64_t event_id, const std::string& title,
                      int64_t seats_per_village, int64_t seats_per_org, int64_t by, int64_t now_ms);
void InviteVillage(db::Tx& tx, int64_t meeting_id, int64_t village_id);
void InviteOrg(db::Tx& tx, int64_t meeting_id, int64_t org_id);
std::optional<int64_t> MeetingIdByPublicId(db::Tx& tx, const std::string& public_id);
// The meeting with its invitations, booths (by time) and report.
std::optional<Meeting> FindMeeting(db::Tx& tx, int64_t id);
// Newest first, without booths or report.
std::vector<Meeting> ListMeetings(db::Tx& tx, int limit);
bool IsInvitedVillage(db::Tx& tx, int64_t meeting_id, int64_t village_id);
bool IsInvitedOrg(db::Tx& tx, int64_t meeting_id, int64_t org_id);

// Written only if the project is approved and its organisation is invited,
// and it is not at a booth of this meeting yet.
std::optional<int64_t> InsertBooth(db::Tx& tx, const std::string& public_id, int64_t meeting_id, int64_t project_id,
                                   int64_t starts_at_ms, int64_t ends_at_ms, const std::string& table_no, int64_t by,
                                   int64_t now_ms);
std::optional<Booth> FindBooth(db::Tx& tx, int64_t meeting_id, const std::string& booth_public_id);
bool DeleteBooth(db::Tx& tx, int64_t booth_id);
bool HasBooth(db::Tx& tx, int64_t meeting_id, int64_t project_id);

// Written only if the village is invited and the project is at a booth of
// the meeting; once (the primary key).
bool InsertShortlist(db::Tx& tx, int64_t meeting_id, int64_t village_id, int64_t project_id, int64_t by,
                     int64_t now_ms);
// Only entries not yet turned into a quote request.
bool DeleteShortlist(db::Tx& tx, int64_t meeting_id, int64_t village_id, int64_t project_id);
std::vector<ShortlistItem> Shortlist(db::Tx& tx, int64_t meeting_id, std::optional<int64_t> village_id,
                                     std::optional<int64_t> org_id);
void LinkShortlistRequest(db::Tx& tx, int64_t meeting_id, int64_t village_id, int64_t project_id, int64_t request_id);

}  // namespace repo
}  // namespace carecity::market
