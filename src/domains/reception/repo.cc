#include "domains/reception/repo.h"

#include <map>

#include "db/lock.h"

namespace carecity::reception::repo {
namespace {

constexpr const char* kVisitSelect =
    "SELECT x.id, x.public_id, x.room_id, r.name, x.village_id, v.name, x.recorded_by, u.display_name, "
    "x.visited_at_ms, x.category, x.summary, x.action_taken, x.follow_up_ms, x.consent_name_phone, "
    "x.resident_name_sealed, x.resident_phone_sealed, x.resolved, x.application_id, x.referred_at_ms, "
    "a.status, a.outcome, o.name, x.created_at_ms "
    "FROM reception_visits x JOIN reception_rooms r ON r.id = x.room_id JOIN villages v ON v.id = x.village_id "
    "JOIN users u ON u.id = x.recorded_by LEFT JOIN casework_applications a ON a.id = x.application_id "
    "LEFT JOIN orgs o ON o.id = a.org_id";

Visit ReadVisit(const db::Row& r) {
  Visit v;
  v.id = r.Int(0);
  v.public_id = r.Text(1);
  v.room_id = r.Int(2);
  v.room_name = r.Text(3);
  v.village_id = r.Int(4);
  v.village_name = r.Text(5);
  v.recorded_by = r.Int(6);
  v.recorder_name = r.Text(7);
  v.visited_at_ms = r.Int(8);
  v.category = r.Text(9);
  v.summary = r.Text(10);
  v.action_taken = r.Text(11);
  v.follow_up_ms = r.OptInt(12);
  v.consent_name_phone = r.Int(13) != 0;
  v.name_sealed = r.OptText(14);
  v.phone_sealed = r.OptText(15);
  v.resolved = r.Int(16) != 0;
  v.application_id = r.OptInt(17);
  v.referred_at_ms = r.OptInt(18);
  v.application_status = r.OptText(19);
  v.application_outcome = r.OptText(20);
  v.referred_org_name = r.OptText(21);
  v.created_at_ms = r.Int(22);
  return v;
}

constexpr const char* kRoomSelect =
    "SELECT r.id, r.village_id, v.name, r.name, r.address, r.opening_hours, r.created_at_ms "
    "FROM reception_rooms r JOIN villages v ON v.id = r.village_id";

Room ReadRoom(const db::Row& r) {
  Room room;
  room.id = r.Int(0);
  room.village_id = r.Int(1);
  room.village_name = r.Text(2);
  room.name = r.Text(3);
  room.address = r.Text(4);
  room.opening_hours = r.Text(5);
  room.created_at_ms = r.Int(6);
  return room;
}

// The duty rosters of the rooms in `rooms`, in one query.
void LoadDuty(db::Tx& tx, std::vector<Room>& rooms) {
  if (rooms.empty()) {
    return;
  }
  std::string sql =
      "SELECT d.room_id, d.user_id, u.display_name, COALESCE(u.phone, ''), d.weekday FROM reception_duty d "
      "JOIN users u ON u.id = d.user_id WHERE d.room_id IN (";
  std::vector<db::Value> params;
  std::map<int64_t, Room*> by_id;
  for (size_t i = 0; i < rooms.size(); ++i) {
    sql += (i ? ", $" : "$") + std::to_string(i + 1);
    params.emplace_back(rooms[i].id);
    by_id[rooms[i].id] = &rooms[i];
  }
  sql += ") ORDER BY d.weekday, u.display_name, d.user_id";
  const db::Rows found = tx.Query(sql, params);
  for (size_t i = 0; i < found.size(); ++i) {
    const db::Row row = found[i];
    by_id[row.Int(0)]->duty.push_back(
        DutySlot{row.Int(1), row.Text(2), row.Text(3), static_cast<int>(row.Int(4))});
  }
}

}  // namespace

int64_t InsertRoom(db::Tx& tx, const Room& r, int64_t by, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO reception_rooms (village_id, name, address, opening_hours, created_by, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {r.village_id, r.name, r.address, r.opening_hours, by, now_ms});
}

std::optional<Room> FindRoom(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string(kRoomSelect) + " WHERE r.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  std::vector<Room> rooms{ReadRoom(rows.front())};
  LoadDuty(tx, rooms);
  return std::move(rooms.front());
}

std::vector<Room> ListRooms(db::Tx& tx, std::optional<int64_t> village_id) {
  const auto rows = village_id ? tx.Query(std::string(kRoomSelect) + " WHERE r.village_id = $1 ORDER BY r.id",
                                          {*village_id})
                               : tx.Query(std::string(kRoomSelect) + " ORDER BY v.name, r.id");
  std::vector<Room> rooms;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row row = rows[i];
    rooms.push_back(ReadRoom(row));
  }
  LoadDuty(tx, rooms);
  return rooms;
}

std::optional<Room> LockRoom(db::Tx& tx, int64_t id) {
  if (!db::LockRow(tx, "reception_rooms", id)) {
    return std::nullopt;
  }
  return FindRoom(tx, id);
}

void ClearDuty(db::Tx& tx, int64_t room_id) { tx.Exec("DELETE FROM reception_duty WHERE room_id = $1", {room_id}); }

bool AddDutyIfMember(db::Tx& tx, int64_t room_id, int64_t user_id, int weekday) {
  return tx.Exec(
             "INSERT INTO reception_duty (room_id, user_id, weekday) "
             "SELECT r.id, m.user_id, CAST($3 AS SMALLINT) FROM reception_rooms r "
             "JOIN training_members m ON m.village_id = r.village_id AND m.user_id = CAST($2 AS BIGINT) "
             "WHERE r.id = CAST($1 AS BIGINT) ON CONFLICT DO NOTHING",
             {room_id, user_id, static_cast<int64_t>(weekday)}) > 0;
}

bool OnDuty(db::Tx& tx, int64_t room_id, int64_t user_id) {
  return !tx.Query("SELECT 1 FROM reception_duty WHERE room_id = $1 AND user_id = $2 LIMIT 1", {room_id, user_id})
              .empty();
}

std::vector<int64_t> DutyRoomsOf(db::Tx& tx, int64_t user_id) {
  std::vector<int64_t> ids;
  const db::Rows found = tx.Query("SELECT DISTINCT room_id FROM reception_duty WHERE user_id = $1 ORDER BY room_id", {user_id});
  for (size_t i = 0; i < found.size(); ++i) {
    const db::Row row = found[i];
    ids.push_back(row.Int(0));
  }
  return ids;
}

int64_t InsertVisit(db::Tx& tx, const Visit& v) {
  return tx.Insert(
      "INSERT INTO reception_visits (public_id, room_id, village_id, recorded_by, visited_at_ms, category, summary, "
      "action_taken, follow_up_ms, consent_name_phone, resident_name_sealed, resident_phone_sealed, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {v.public_id, v.room_id, v.village_id, v.recorded_by, v.visited_at_ms, v.category, v.summary, v.action_taken,
       v.follow_up_ms, static_cast<int64_t>(v.consent_name_phone), v.name_sealed, v.phone_sealed, v.created_at_ms});
}

std::optional<Visit> FindVisitByPublicId(db::Tx& tx, const std::string& public_id) {
  const auto rows = tx.Query(std::string(kVisitSelect) + " WHERE x.public_id = $1", {public_id});
  return rows.empty() ? std::nullopt : std::optional(ReadVisit(rows.front()));
}

std::optional<Visit> FindVisit(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string(kVisitSelect) + " WHERE x.id = $1", {id});
  return rows.empty() ? std::nullopt : std::optional(ReadVisit(rows.front()));
}

std::vector<Visit> ListVisits(db::Tx& tx, const VisitFilter& f, int limit) {
  std::string sql = std::string(kVisitSelect) + " WHERE 1 = 1";
  std::vector<db::Value> params;
  const auto add = [&](const char* cond, int64_t value) {
    params.emplace_back(value);
    sql += std::string(" AND ") + cond + " $" + std::to_string(params.size());
  };
  if (f.room_id) {
    add("x.room_id =", *f.room_id);
  }
  if (f.village_id) {
    add("x.village_id =", *f.village_id);
  }
  if (f.recorded_by) {
    add("x.recorded_by =", *f.recorded_by);
  }
  if (f.from_ms) {
    add("x.visited_at_ms >=", *f.from_ms);
  }
  if (f.to_ms) {
    add("x.visited_at_ms <", *f.to_ms);
  }
  params.emplace_back(static_cast<int64_t>(limit));
  sql += " ORDER BY x.visited_at_ms DESC, x.id DESC LIMIT $" + std::to_string(params.size());
  std::vector<Visit> out;
  const db::Rows found = tx.Query(sql, params);
  for (size_t i = 0; i < found.size(); ++i) {
    const db::Row row = found[i];
    out.push_back(ReadVisit(row));
  }
  return out;
}

bool SetResolved(db::Tx& tx, int64_t id, bool resolved) {
  return tx.Exec("UPDATE reception_visits SET resolved = $2 WHERE id = $1 AND resolved <> $2",
                 {id, static_cast<int64_t>(resolved)}) > 0;
}

bool SetReferral(db::Tx& tx, int64_t id, int64_t application_id, int64_t now_ms) {
  return tx.Exec(
             "UPDATE reception_visits SET application_id = $2, referred_at_ms = $3 "
             "WHERE id = $1 AND application_id IS NULL",
             {id, application_id, now_ms}) > 0;
}

std::optional<int64_t> VisitOfApplication(db::Tx& tx, int64_t application_id) {
  const auto rows = tx.Query("SELECT id FROM reception_visits WHERE application_id = $1", {application_id});
  return rows.empty() ? std::nullopt : std::optional(rows.front().Int(0));
}

std::vector<RoomMonth> MonthStats(db::Tx& tx, int64_t from_ms, int64_t to_ms, std::optional<int64_t> village_id) {
  std::string where = " WHERE x.visited_at_ms >= $1 AND x.visited_at_ms < $2";
  std::vector<db::Value> params{from_ms, to_ms};
  std::string room_where;
  if (village_id) {
    params.emplace_back(*village_id);
    where += " AND x.village_id = $3";
    room_where = " WHERE r.village_id = $1";
  }
  // Every room appears, with zeros when it had no visit.
  std::vector<RoomMonth> out;
  std::map<int64_t, size_t> index;
  const auto rooms =
      village_id ? tx.Query("SELECT r.id, r.name, r.village_id, v.name FROM reception_rooms r JOIN villages v ON "
                            "v.id = r.village_id" + room_where + " ORDER BY v.name, r.id",
                            {*village_id})
                 : tx.Query("SELECT r.id, r.name, r.village_id, v.name FROM reception_rooms r JOIN villages v ON "
                            "v.id = r.village_id ORDER BY v.name, r.id");
  for (size_t i = 0; i < rooms.size(); ++i) {
    const db::Row row = rooms[i];
    index[row.Int(0)] = out.size();
    out.push_back(RoomMonth{row.Int(0), row.Text(1), row.Int(2), row.Text(3), 0, 0, 0, {}});
  }
  std::map<int64_t, std::map<std::string, int64_t>> categories;
  const db::Rows counts = tx.Query("SELECT x.room_id, x.category, COUNT(*), "
                                  "SUM(CASE WHEN x.application_id IS NULL THEN 0 ELSE 1 END), SUM(x.resolved) "
                                  "FROM reception_visits x" + where + " GROUP BY x.room_id, x.category",
                                  params);
  for (size_t i = 0; i < counts.size(); ++i) {
    const db::Row row = counts[i];
    const auto it = index.find(row.Int(0));
    if (it == index.end()) {
      continue;
    }
    RoomMonth& m = out[it->second];
    m.visits += row.Int(2);
    m.referred += row.Int(3);
    m.resolved += row.Int(4);
    categories[m.room_id][row.Text(1)] += row.Int(2);
  }
  for (RoomMonth& m : out) {
    for (std::string_view c : kCategories) {
      const auto& per = categories[m.room_id];
      if (const auto it = per.find(std::string(c)); it != per.end()) {
        m.by_category.emplace_back(std::string(c), it->second);
      }
    }
  }
  return out;
}

}  // namespace carecity::reception::repo
