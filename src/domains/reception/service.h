// 党员接待室: the reception-room service — rooms per village with a duty
// roster of party members, the visits the member on duty records, referral
// of a visit to a casework service application in one step, and monthly
// counts (docs/design-reception.md).
//
// Who may do what: the village's staff (or a trainer, or a platform_admin)
// open a room and keep its duty roster, whose members must be on the
// party-member register of the room's village (the INSERT decides:
// repo::AddDutyIfMember). A member on the room's roster, or the village's
// staff, record visits, mark them resolved and refer them. Visits are
// addressed by an unguessable public id and answer 404 to anyone else.
//
// The resident's name and phone are kept only with their consent (the
// table's CHECK backs the rule), sealed bound to the visit's public id, and
// shown in clear only to the member who recorded the visit; everyone else
// who may see the visit gets them masked. A referral creates the casework
// application (the resident as beneficiary, the referring member as the
// applicant who follows it up) in the same transaction that marks the visit
// referred; the visit refers once (repo::SetReferral and the UNIQUE
// application_id), and an Idempotency-Key makes a retried request answer
// the first referral.
//
// Thread-safety: immutable after construction; safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/casework/service.h"
#include "domains/reception/model.h"

namespace carecity::reception {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;
using accounts::Principal;

struct RoomDraft {
  int64_t village_id = 0;
  std::string name;
  std::string address;
  std::string opening_hours;
};

struct DutyDraft {
  int64_t user_id = 0;
  int weekday = 0;
};

// A room as one viewer sees it: the roster only for those who run the room.
struct RoomView {
  Room room;
  bool manage = false;   // the viewer may change the roster
  bool on_duty = false;  // the viewer is on the roster
};

struct VisitDraft {
  int64_t room_id = 0;
  std::optional<int64_t> visited_at_ms;  // default: now
  std::string category;
  std::string summary;
  std::string action_taken;
  std::optional<int64_t> follow_up_ms;
  bool consent_name_phone = false;
  std::string resident_name;
  std::string resident_phone;  // digits
};

// A visit as one viewer sees it.
struct VisitView {
  Visit visit;
  std::optional<std::string> resident_name;   // clear or masked; nullopt when none is kept
  std::optional<std::string> resident_phone;
  bool resident_visible = false;              // clear (the recorder)
  bool can_refer = false;
};

struct Referral {
  int64_t application_id = 0;
  VisitView visit;
};

struct Stats {
  std::string month;
  std::vector<RoomMonth> rooms;
  std::vector<RoomMonth> villages;  // the rooms summed per village (room_id 0)
};

class ReceptionService {
 public:
  // `data_key`: the 32-byte data key casework seals with.
  ReceptionService(db::Store& store, const Clock& clock, casework::CaseworkService& casework, std::string data_key);

  Task<RoomView> CreateRoom(const Principal& p, RoomDraft d, std::string ip);
  Task<std::vector<RoomView>> Rooms(const Principal& p, std::optional<int64_t> village_id);
  Task<RoomView> GetRoom(const Principal& p, int64_t id);
  // Replaces the roster; any slot naming someone off the village's register
  // refuses the whole request (422 reception.not_party_member).
  Task<RoomView> SetDuty(const Principal& p, int64_t room_id, std::vector<DutyDraft> duty, std::string ip);

  Task<VisitView> RecordVisit(const Principal& p, VisitDraft d);
  Result<VisitView> RecordVisitTx(db::Tx& tx, const Principal& p, const VisitDraft& d, int64_t now_ms);
  // With neither room nor village: the visits of the caller's rooms.
  Task<std::vector<VisitView>> Visits(const Principal& p, std::optional<int64_t> room_id,
                                      std::optional<int64_t> village_id, std::optional<std::string> month);
  Task<VisitView> GetVisit(const Principal& p, std::string id);
  Task<VisitView> SetResolved(const Principal& p, std::string id, bool resolved, std::string ip);
  // `idempotency_key` may be empty.
  Task<Referral> Refer(const Principal& p, std::string visit_id, int64_t service_id, std::string note,
                       std::string idempotency_key, std::string ip);
  Result<Referral> ReferTx(db::Tx& tx, const Principal& p, const std::string& visit_id, int64_t service_id,
                           const std::string& note, const std::string& ip, int64_t now_ms);

  // Village staff: their villages; trainers, fund_admin, platform_admin: all.
  Task<Stats> MonthStats(const Principal& p, std::optional<std::string> month, std::optional<int64_t> village_id);

 private:
  bool Manages(const Principal& p, int64_t village_id) const;
  bool MaySee(db::Tx& tx, const Principal& p, const Visit& v) const;
  VisitView ViewFor(db::Tx& tx, const Principal& p, const Visit& v) const;
  Result<Visit> VisibleVisitTx(db::Tx& tx, const Principal& p, const std::string& public_id) const;
  RoomView RoomViewFor(const Principal& p, Room room) const;

  db::Store& store_;
  const Clock& clock_;
  casework::CaseworkService& casework_;
  std::string data_key_;
};

}  // namespace carecity::reception
