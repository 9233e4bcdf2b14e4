#include "domains/reception/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "db/idempotency.h"
#include "domains/accounts/repo.h"
#include "domains/audit/service.h"
#include "domains/reception/repo.h"

namespace carecity::reception {
namespace {

using accounts::Role;

constexpr int kListLimit = 200;
constexpr size_t kMaxDutySlots = 70;
// A visit may be recorded up to this long after it happened, and a minute
// ahead of the server's clock (phones run fast).
constexpr int64_t kMaxBackdateMs = 31LL * 24 * 3600 * 1000;
constexpr int64_t kClockSkewMs = 60 * 1000;

Error RoomNotFound() { return Error::NotFound("training.room_not_found"); }
Error VisitNotFound() { return Error::NotFound("reception.visit_not_found"); }

bool Oversees(const Principal& p) { return p.Has(Role::kTrainer) || p.Has(Role::kPlatformAdmin); }

std::string NameContext(const std::string& public_id) { return "reception_visits.resident_name." + public_id; }
std::string PhoneContext(const std::string& public_id) { return "reception_visits.resident_phone." + public_id; }

const char* CategoryLabel(const std::string& c) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"elderly", "养老"},        {"medical", "医疗"},         {"housing", "住房"}, {"employment", "就业"},
      {"dispute", "邻里纠纷"},    {"environment", "环境卫生"}, {"policy", "政策咨询"}, {"other", "其他"}};
  for (const auto& [code, label] : kLabels) {
    if (c == code) {
      return label;
    }
  }
  return "其他";
}

}  // namespace

ReceptionService::ReceptionService(db::Store& store, const Clock& clock, casework::CaseworkService& casework,
                                   std::string data_key)
    : store_(store), clock_(clock), casework_(casework), data_key_(std::move(data_key)) {}

bool ReceptionService::Manages(const Principal& p, int64_t village_id) const {
  return Oversees(p) || p.HasVillageRole(Role::kVillageStaff, village_id);
}

RoomView ReceptionService::RoomViewFor(const Principal& p, Room room) const {
  RoomView v;
  v.manage = Manages(p, room.village_id);
  v.on_duty = std::any_of(room.duty.begin(), room.duty.end(), [&](const DutySlot& s) { return s.user_id == p.user_id; });
  if (!v.manage && !v.on_duty) {
    room.duty.clear();  // who serves when is for those who run the room
  }
  v.room = std::move(room);
  return v;
}

// ---- Rooms ----

Task<RoomView> ReceptionService::CreateRoom(const Principal& p, RoomDraft d, std::string ip) {
  if (!Manages(p, d.village_id)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<RoomView> {
    const int64_t now = clock_.NowMs();
    if (!accounts::repo::FindVillage(tx, d.village_id)) {
      return Error{ErrorCode::kNotFound, "village_not_found", "village_id", {}};
    }
    Room r;
    r.village_id = d.village_id;
    r.name = d.name;
    r.address = d.address;
    r.opening_hours = d.opening_hours;
    const int64_t id = repo::InsertRoom(tx, r, p.user_id, now);
    audit::Record(tx, p.user_id, "reception.room.created", "reception_room", std::to_string(id),
                  boost::json::object{{"village_id", d.village_id}}, ip, now);
    return RoomViewFor(p, *repo::FindRoom(tx, id));
  });
}

Task<std::vector<RoomView>> ReceptionService::Rooms(const Principal& p, std::optional<int64_t> village_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<RoomView>> {
    std::vector<RoomView> out;
    for (Room& r : repo::ListRooms(tx, village_id)) {
      out.push_back(RoomViewFor(p, std::move(r)));
    }
    return out;
  });
}

Task<RoomView> ReceptionService::GetRoom(const Principal& p, int64_t id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<RoomView> {
    auto r = repo::FindRoom(tx, id);
    if (!r) {
      return RoomNotFound();
    }
    return RoomViewFor(p, std::move(*r));
  });
}

Task<RoomView> ReceptionService::SetDuty(const Principal& p, int64_t room_id, std::vector<DutyDraft> duty,
                                         std::string ip) {
  if (duty.size() > kMaxDutySlots) {
    co_return Error::Invalid("too_many_items", "duty");
  }
  for (size_t i = 0; i < duty.size(); ++i) {
    if (duty[i].weekday < 0 || duty[i].weekday > 6) {
      co_return Error::Invalid("out_of_range", "duty[" + std::to_string(i) + "].weekday");
    }
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<RoomView> {
    const int64_t now = clock_.NowMs();
    // Under the room's lock: two roster replacements never interleave
    // (each would keep the other's slots on PostgreSQL otherwise).
    const auto room = repo::LockRoom(tx, room_id);
    if (!room) {
      return RoomNotFound();
    }
    if (!Manages(p, room->village_id)) {
      return Error::Forbidden();
    }
    repo::ClearDuty(tx, room_id);
    std::set<std::pair<int64_t, int>> added;
    for (size_t i = 0; i < duty.size(); ++i) {
      if (!added.emplace(duty[i].user_id, duty[i].weekday).second) {
        continue;  // the same person on the same day twice: once is enough
      }
      // A refusal returns an error: the transaction (and the cleared roster) rolls back.
      if (!repo::AddDutyIfMember(tx, room_id, duty[i].user_id, duty[i].weekday)) {
        return Error::Unprocessable("reception.not_party_member", "duty[" + std::to_string(i) + "].user_id");
      }
    }
    audit::Record(tx, p.user_id, "reception.duty.set", "reception_room", std::to_string(room_id),
                  boost::json::object{{"slots", static_cast<int64_t>(duty.size())}}, ip, now);
    return RoomViewFor(p, *repo::FindRoom(tx, room_id));
  });
}

// ---- Visits ----

bool ReceptionService::MaySee(db::Tx& tx, const Principal& p, const Visit& v) const {
  return v.recorded_by == p.user_id || p.Has(Role::kPlatformAdmin) ||
         p.HasVillageRole(Role::kVillageStaff, v.village_id) || repo::OnDuty(tx, v.room_id, p.user_id);
}

VisitView ReceptionService::ViewFor(db::Tx& tx, const Principal& p, const Visit& v) const {
  VisitView out;
  out.visit = v;
  out.resident_visible = v.recorded_by == p.user_id;
  const auto open = [&](const std::optional<std::string>& sealed, const std::string& context,
                        std::string (*mask)(std::string_view)) -> std::optional<std::string> {
    if (!sealed) {
      return std::nullopt;
    }
    auto clear = OpenBound(data_key_, *sealed, context);
    if (!clear) {
      return std::nullopt;
    }
    return out.resident_visible ? *clear : mask(*clear);
  };
  out.resident_name = open(v.name_sealed, NameContext(v.public_id), &MaskPersonName);
  out.resident_phone = open(v.phone_sealed, PhoneContext(v.public_id), &MaskPhone);
  out.can_refer = !v.application_id && v.phone_sealed &&
                  (v.recorded_by == p.user_id || p.HasVillageRole(Role::kVillageStaff, v.village_id) ||
                   repo::OnDuty(tx, v.room_id, p.user_id));
  // Sealed values never leave the service.
  out.visit.name_sealed.reset();
  out.visit.phone_sealed.reset();
  return out;
}

Result<Visit> ReceptionService::VisibleVisitTx(db::Tx& tx, const Principal& p, const std::string& public_id) const {
  if (!IsPublicId(public_id)) {
    return VisitNotFound();
  }
  auto v = repo::FindVisitByPublicId(tx, public_id);
  if (!v || !MaySee(tx, p, *v)) {
    return VisitNotFound();
  }
  return *v;
}

Result<VisitView> ReceptionService::RecordVisitTx(db::Tx& tx, const Principal& p, const VisitDraft& d,
                                                  int64_t now_ms) {
  if (!IsCategory(d.category)) {
    return Error::Invalid("invalid_value", "category");
  }
  const bool has_resident = !d.resident_name.empty() || !d.resident_phone.empty();
  if (has_resident && !d.consent_name_phone) {
    return Error::Invalid("reception.consent_required", "consent.name_phone");
  }
  if (!d.resident_phone.empty() && !IsMainlandMobile(d.resident_phone)) {
    return Error::Invalid("invalid_phone", "resident.phone");
  }
  const int64_t at = d.visited_at_ms.value_or(now_ms);
  if (at > now_ms + kClockSkewMs || at < now_ms - kMaxBackdateMs) {
    return Error::Invalid("out_of_range", "visited_at_ms");
  }
  if (d.follow_up_ms && *d.follow_up_ms < at) {
    return Error::Invalid("out_of_range", "follow_up_ms");
  }
  const auto room = repo::FindRoom(tx, d.room_id);
  if (!room) {
    return Error{ErrorCode::kNotFound, "training.room_not_found", "room_id", {}};
  }
  if (!repo::OnDuty(tx, room->id, p.user_id) && !p.HasVillageRole(Role::kVillageStaff, room->village_id)) {
    return Error::Forbidden();
  }
  Visit v;
  v.public_id = NewPublicId();
  v.room_id = room->id;
  v.village_id = room->village_id;
  v.recorded_by = p.user_id;
  v.visited_at_ms = at;
  v.category = d.category;
  v.summary = d.summary;
  v.action_taken = d.action_taken;
  v.follow_up_ms = d.follow_up_ms;
  v.consent_name_phone = d.consent_name_phone;
  if (d.consent_name_phone && !d.resident_name.empty()) {
    v.name_sealed = SealBound(data_key_, d.resident_name, NameContext(v.public_id));
  }
  if (d.consent_name_phone && !d.resident_phone.empty()) {
    v.phone_sealed = SealBound(data_key_, d.resident_phone, PhoneContext(v.public_id));
  }
  v.created_at_ms = now_ms;
  const int64_t id = repo::InsertVisit(tx, v);
  return ViewFor(tx, p, *repo::FindVisit(tx, id));
}

Task<VisitView> ReceptionService::RecordVisit(const Principal& p, VisitDraft d) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return RecordVisitTx(tx, p, d, clock_.NowMs()); });
}

Task<std::vector<VisitView>> ReceptionService::Visits(const Principal& p, std::optional<int64_t> room_id,
                                                      std::optional<int64_t> village_id,
                                                      std::optional<std::string> month) {
  repo::VisitFilter f;
  if (month) {
    const auto range = MonthRange(*month);
    if (!range) {
      co_return Error::Invalid("invalid_value", "month");
    }
    f.from_ms = range->first;
    f.to_ms = range->second;
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<VisitView>> {
    std::vector<VisitView> out;
    const auto collect = [&](repo::VisitFilter filter) {
      for (const Visit& v : repo::ListVisits(tx, filter, kListLimit)) {
        out.push_back(ViewFor(tx, p, v));
      }
    };
    if (room_id) {
      const auto room = repo::FindRoom(tx, *room_id);
      if (!room) {
        return Error{ErrorCode::kNotFound, "training.room_not_found", "room_id", {}};
      }
      if (!p.Has(Role::kPlatformAdmin) && !p.HasVillageRole(Role::kVillageStaff, room->village_id) &&
          !repo::OnDuty(tx, room->id, p.user_id)) {
        return Error::Forbidden();
      }
      f.room_id = room_id;
      collect(f);
    } else if (village_id) {
      if (!p.Has(Role::kPlatformAdmin) && !p.HasVillageRole(Role::kVillageStaff, *village_id)) {
        return Error::Forbidden();
      }
      f.village_id = village_id;
      collect(f);
    } else {
      // The caller's rooms (on the roster), plus what they recorded elsewhere.
      std::set<int64_t> seen;
      for (const int64_t room : repo::DutyRoomsOf(tx, p.user_id)) {
        f.room_id = room;
        collect(f);
      }
      f.room_id.reset();
      f.recorded_by = p.user_id;
      for (auto& v : out) {
        seen.insert(v.visit.id);
      }
      for (const Visit& v : repo::ListVisits(tx, f, kListLimit)) {
        if (!seen.count(v.id)) {
          out.push_back(ViewFor(tx, p, v));
        }
      }
      std::sort(out.begin(), out.end(), [](const VisitView& a, const VisitView& b) {
        return a.visit.visited_at_ms != b.visit.visited_at_ms ? a.visit.visited_at_ms > b.visit.visited_at_ms
                                                              : a.visit.id > b.visit.id;
      });
      if (out.size() > static_cast<size_t>(kListLimit)) {
        out.resize(kListLimit);
      }
    }
    return out;
  });
}

Task<VisitView> ReceptionService::GetVisit(const Principal& p, std::string id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<VisitView> {
    CC_ASSIGN_OR_RETURN(Visit v, VisibleVisitTx(tx, p, id));
    return ViewFor(tx, p, v);
  });
}

Task<VisitView> ReceptionService::SetResolved(const Principal& p, std::string id, bool resolved, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<VisitView> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(Visit v, VisibleVisitTx(tx, p, id));
    if (repo::SetResolved(tx, v.id, resolved)) {
      audit::Record(tx, p.user_id, resolved ? "reception.visit.resolved" : "reception.visit.reopened",
                    "reception_visit", v.public_id, boost::json::object{}, ip, now);
    }
    return ViewFor(tx, p, *repo::FindVisit(tx, v.id));
  });
}

// ---- Referral ----

Result<Referral> ReceptionService::ReferTx(db::Tx& tx, const Principal& p, const std::string& visit_id,
                                           int64_t service_id, const std::string& note, const std::string& ip,
                                           int64_t now_ms) {
  CC_ASSIGN_OR_RETURN(Visit v, VisibleVisitTx(tx, p, visit_id));
  if (p.Has(Role::kPlatformAdmin) && v.recorded_by != p.user_id &&
      !p.HasVillageRole(Role::kVillageStaff, v.village_id) && !repo::OnDuty(tx, v.room_id, p.user_id)) {
    return Error::Forbidden();  // an administrator reads the log but does not act for a resident
  }
  if (v.application_id) {
    return Error::Conflict("reception.already_referred");
  }
  // The application needs someone to contact: the resident's phone, kept
  // only with their consent.
  const auto phone = v.phone_sealed ? OpenBound(data_key_, *v.phone_sealed, PhoneContext(v.public_id)) : std::nullopt;
  if (!phone) {
    return Error::Unprocessable("reception.contact_required", "resident.phone");
  }
  const auto name = v.name_sealed ? OpenBound(data_key_, *v.name_sealed, NameContext(v.public_id)) : std::nullopt;
  casework::NewApplication in;
  in.service_id = service_id;
  in.for_whom = "family";  // on another person's behalf: the resident is the beneficiary
  in.beneficiary_name = name.value_or("接待室来访居民");
  in.relationship = "党员接待室转介（" + v.room_name + "）";
  in.description = std::string("【") + CategoryLabel(v.category) + "】" + v.summary;
  if (!v.action_taken.empty()) {
    in.description += "\n已做：" + v.action_taken;
  }
  if (!note.empty()) {
    in.description += "\n转介说明：" + note;
  }
  in.contact_phone = *phone;
  in.village_id = v.village_id;
  auto app = casework_.ApplyTx(tx, p, in, now_ms);
  if (!app.ok()) {
    return std::move(app).error();
  }
  const int64_t application_id = app->app.id;
  if (!repo::SetReferral(tx, v.id, application_id, now_ms)) {
    return Error::Conflict("reception.already_referred");  // the application rolls back with the transaction
  }
  audit::Record(tx, p.user_id, "reception.visit.referred", "reception_visit", v.public_id,
                boost::json::object{{"application_id", application_id}, {"service_id", service_id}}, ip, now_ms);
  return Referral{application_id, ViewFor(tx, p, *repo::FindVisit(tx, v.id))};
}

Task<Referral> ReceptionService::Refer(const Principal& p, std::string visit_id, int64_t service_id, std::string note,
                                       std::string idempotency_key, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Referral> {
    const int64_t now = clock_.NowMs();
    const std::string scope = "reception.refer:user:" + std::to_string(p.user_id);
    if (!idempotency_key.empty()) {
      const auto claim = db::ClaimIdempotencyKey(tx, scope, idempotency_key,
                                                 visit_id + "|" + std::to_string(service_id) + "|" + note, now);
      if (claim.kind == db::IdempotencyClaim::Kind::kMismatch) {
        return Error::Conflict("idempotency_key_reused");
      }
      if (claim.kind == db::IdempotencyClaim::Kind::kReplay) {
        CC_ASSIGN_OR_RETURN(Visit v, VisibleVisitTx(tx, p, visit_id));
        return Referral{claim.ref_id, ViewFor(tx, p, v)};
      }
    }
    auto r = ReferTx(tx, p, visit_id, service_id, note, ip, now);
    if (r.ok() && !idempotency_key.empty()) {
      db::SetIdempotencyRef(tx, scope, idempotency_key, r->application_id);
    }
    return r;
  });
}

// ---- Statistics ----

Task<Stats> ReceptionService::MonthStats(const Principal& p, std::optional<std::string> month,
                                         std::optional<int64_t> village_id) {
  const bool all = Oversees(p) || p.Has(Role::kFundAdmin);
  if (!all) {
    if (!village_id) {
      // Village staff of one village: theirs.
      for (const auto& g : p.roles) {
        if (g.role == Role::kVillageStaff && g.village_id) {
          village_id = g.village_id;
          break;
        }
      }
    }
    if (!village_id || !p.HasVillageRole(Role::kVillageStaff, *village_id)) {
      co_return Error::Forbidden();
    }
  }
  Stats s;
  s.month = month.value_or(MonthOf(clock_.NowMs()));
  const auto range = MonthRange(s.month);
  if (!range) {
    co_return Error::Invalid("invalid_value", "month");
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Stats> {
    s.rooms = repo::MonthStats(tx, range->first, range->second, village_id);
    s.villages = SumByVillage(s.rooms);
    return s;
  });
}

}  // namespace carecity::reception
