#include "domains/market/meetings_repo.h"

namespace carecity::market::repo {
namespace {

std::optional<int64_t> FirstId(const db::Rows& rows) {
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

constexpr const char* kBoothColumns =
    "SELECT b.id, b.public_id, b.org_id, o.name, b.project_id, p.public_id, p.title, p.project_type, b.starts_at_ms, "
    "b.ends_at_ms, b.table_no, (SELECT COUNT(*) FROM market_meeting_shortlists s WHERE s.meeting_id = b.meeting_id "
    "AND s.project_id = b.project_id) FROM market_meeting_booths b JOIN orgs o ON o.id = b.org_id "
    "JOIN market_projects p ON p.id = b.project_id ";

Booth BoothOf(const db::Row& r) {
  return {r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Int(4), r.Text(5), r.Text(6), r.Text(7),
          r.Int(8), r.Int(9), r.Text(10), r.Int(11)};
}

std::vector<NamedId> Named(const db::Rows& rows) {
  std::vector<NamedId> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Int(0), rows[i].Text(1)});
  }
  return out;
}

Meeting MeetingHead(const db::Row& r) {
  Meeting m;
  m.id = r.Int(0);
  m.public_id = r.Text(1);
  m.event_id = r.Int(2);
  m.title = r.Text(3);
  m.seats_per_village = r.Int(4);
  m.seats_per_org = r.Int(5);
  m.created_at_ms = r.Int(6);
  return m;
}

constexpr const char* kMeetingColumns =
    "SELECT id, public_id, event_id, title, seats_per_village, seats_per_org, created_at_ms FROM market_meetings ";

}  // namespace

int64_t InsertMeeting(db::Tx& tx, const std::string& public_id, int64_t event_id, const std::string& title,
                      int64_t seats_per_village, int64_t seats_per_org, int64_t by, int64_t now_ms) {
  return tx.Query("INSERT INTO market_meetings (public_id, event_id, title, seats_per_village, seats_per_org, "
                  "created_by, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                  {public_id, event_id, title, seats_per_village, seats_per_org, by, now_ms})
      .front()
      .Int(0);
}

void InviteVillage(db::Tx& tx, int64_t meeting_id, int64_t village_id) {
  tx.Query("INSERT INTO market_meeting_villages (meeting_id, village_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
           {meeting_id, village_id});
}

void InviteOrg(db::Tx& tx, int64_t meeting_id, int64_t org_id) {
  tx.Query("INSERT INTO market_meeting_orgs (meeting_id, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
           {meeting_id, org_id});
}

std::optional<int64_t> MeetingIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return FirstId(tx.Query("SELECT id FROM market_meetings WHERE public_id = $1", {public_id}));
}

std::optional<Meeting> FindMeeting(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string(kMeetingColumns) + "WHERE id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  Meeting m = MeetingHead(rows.front());
  m.villages = Named(tx.Query("SELECT v.id, v.name FROM market_meeting_villages mv JOIN villages v ON v.id = "
                              "mv.village_id WHERE mv.meeting_id = $1 ORDER BY v.id",
                              {id}));
  m.orgs = Named(tx.Query("SELECT o.id, o.name FROM market_meeting_orgs mo JOIN orgs o ON o.id = mo.org_id "
                          "WHERE mo.meeting_id = $1 ORDER BY o.id",
                          {id}));
  const auto booths = tx.Query(std::string(kBoothColumns) + "WHERE b.meeting_id = $1 ORDER BY b.starts_at_ms, b.id", {id});
  for (size_t i = 0; i < booths.size(); ++i) {
    m.booths.push_back(BoothOf(booths[i]));
  }
  MeetingReport& r = m.report;
  r.projects_presented = static_cast<int64_t>(m.booths.size());
  r.villages_invited = static_cast<int64_t>(m.villages.size());
  const auto s = tx.Query(
      "SELECT COUNT(DISTINCT village_id), COUNT(*), COUNT(request_id) FROM market_meeting_shortlists "
      "WHERE meeting_id = $1",
      {id});
  r.villages_shortlisting = s.front().Int(0);
  r.intentions = s.front().Int(1);
  r.quote_requests = s.front().Int(2);
  const auto c = tx.Query(
      "SELECT COUNT(*), COALESCE(SUM(c.amount_fen), 0) FROM market_contracts c JOIN market_meeting_shortlists s "
      "ON s.request_id = c.request_id WHERE s.meeting_id = $1 AND c.status IN ('in_notice', 'active', 'completed')",
      {id});
  r.contracts = c.front().Int(0);
  r.contracts_fen = c.front().Int(1);
  return m;
}

std::vector<Meeting> ListMeetings(db::Tx& tx, int limit) {
  const auto rows = tx.Query(std::string(kMeetingColumns) + "ORDER BY id DESC LIMIT $1", {limit});
  std::vector<Meeting> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(MeetingHead(rows[i]));
  }
  return out;
}

bool IsInvitedVillage(db::Tx& tx, int64_t meeting_id, int64_t village_id) {
  return !tx.Query("SELECT 1 FROM market_meeting_villages WHERE meeting_id = $1 AND village_id = $2",
                   {meeting_id, village_id})
              .empty();
}

bool IsInvitedOrg(db::Tx& tx, int64_t meeting_id, int64_t org_id) {
  return !tx.Query("SELECT 1 FROM market_meeting_orgs WHERE meeting_id = $1 AND org_id = $2", {meeting_id, org_id})
              .empty();
}

std::optional<int64_t> InsertBooth(db::Tx& tx, const std::string& public_id, int64_t meeting_id, int64_t project_id,
                                   int64_t starts_at_ms, int64_t ends_at_ms, const std::string& table_no, int64_t by,
                                   int64_t now_ms) {
  return FirstId(tx.Query(
      "INSERT INTO market_meeting_booths (public_id, meeting_id, org_id, project_id, starts_at_ms, ends_at_ms, "
      "table_no, created_by, created_at_ms) SELECT CAST($1 AS TEXT), mo.meeting_id, p.org_id, p.id, "
      "CAST($4 AS BIGINT), CAST($5 AS BIGINT), CAST($6 AS TEXT), CAST($7 AS BIGINT), CAST($8 AS BIGINT) "
      "FROM market_projects p JOIN market_meeting_orgs mo ON mo.org_id = p.org_id AND mo.meeting_id = $2 "
      "WHERE p.id = $3 AND p.status = 'approved' ON CONFLICT DO NOTHING RETURNING id",
      {public_id, meeting_id, project_id, starts_at_ms, ends_at_ms, table_no, by, now_ms}));
}

std::optional<Booth> FindBooth(db::Tx& tx, int64_t meeting_id, const std::string& booth_public_id) {
  const auto rows =
      tx.Query(std::string(kBoothColumns) + "WHERE b.meeting_id = $1 AND b.public_id = $2", {meeting_id, booth_public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return BoothOf(rows.front());
}

bool DeleteBooth(db::Tx& tx, int64_t booth_id) {
  // A booth some village shortlisted stays: the shortlist names its project.
  return tx.Query("DELETE FROM market_meeting_booths WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM "
                  "market_meeting_shortlists s JOIN market_meeting_booths b ON b.meeting_id = s.meeting_id "
                  "AND b.project_id = s.project_id WHERE b.id = $1)",
                  {booth_id})
             .affected() == 1;
}

bool HasBooth(db::Tx& tx, int64_t meeting_id, int64_t project_id) {
  return !tx.Query("SELECT 1 FROM market_meeting_booths WHERE meeting_id = $1 AND project_id = $2",
                   {meeting_id, project_id})
              .empty();
}

bool InsertShortlist(db::Tx& tx, int64_t meeting_id, int64_t village_id, int64_t project_id, int64_t by,
                     int64_t now_ms) {
  return tx.Query("INSERT INTO market_meeting_shortlists (meeting_id, village_id, project_id, created_by, "
                  "created_at_ms) SELECT b.meeting_id, mv.village_id, b.project_id, CAST($4 AS BIGINT), "
                  "CAST($5 AS BIGINT) FROM market_meeting_booths b JOIN market_meeting_villages mv "
                  "ON mv.meeting_id = b.meeting_id AND mv.village_id = $2 WHERE b.meeting_id = $1 AND b.project_id = $3 "
                  "ON CONFLICT DO NOTHING",
                  {meeting_id, village_id, project_id, by, now_ms})
             .affected() == 1;
}

bool DeleteShortlist(db::Tx& tx, int64_t meeting_id, int64_t village_id, int64_t project_id) {
  return tx.Query("DELETE FROM market_meeting_shortlists WHERE meeting_id = $1 AND village_id = $2 "
                  "AND project_id = $3 AND request_id IS NULL",
                  {meeting_id, village_id, project_id})
             .affected() == 1;
}

std::vector<ShortlistItem> Shortlist(db::Tx& tx, int64_t meeting_id, std::optional<int64_t> village_id,
                                     std::optional<int64_t> org_id) {
  const auto rows = tx.Query(
      "SELECT s.village_id, v.name, b.public_id, r.public_id, r.status, s.created_at_ms FROM market_meeting_shortlists s "
      "JOIN villages v ON v.id = s.village_id JOIN market_meeting_booths b ON b.meeting_id = s.meeting_id "
      "AND b.project_id = s.project_id LEFT JOIN market_quote_requests r ON r.id = s.request_id "
      "WHERE s.meeting_id = $1 AND (CAST($2 AS BIGINT) = 0 OR s.village_id = $2) "
      "AND (CAST($3 AS BIGINT) = 0 OR b.org_id = $3) ORDER BY b.starts_at_ms, b.id, s.village_id",
      {meeting_id, village_id.value_or(0), org_id.value_or(0)});
  std::vector<ShortlistItem> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    ShortlistItem item;
    item.village_id = r.Int(0);
    item.village_name = r.Text(1);
    item.booth = *FindBooth(tx, meeting_id, r.Text(2));
    item.request_public_id = r.OptText(3);
    item.request_status = r.OptText(4);
    item.created_at_ms = r.Int(5);
    out.push_back(std::move(item));
  }
  return out;
}

void LinkShortlistRequest(db::Tx& tx, int64_t meeting_id, int64_t village_id, int64_t project_id, int64_t request_id) {
  tx.Query("UPDATE market_meeting_shortlists SET request_id = $4 WHERE meeting_id = $1 AND village_id = $2 "
           "AND project_id = $3 AND request_id IS NULL",
           {meeting_id, village_id, project_id, request_id});
}

}  // namespace carecity::market::repo
