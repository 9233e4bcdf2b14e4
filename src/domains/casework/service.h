// The casework service: the catalogue of services organisations offer and
// residents' applications — triage (accept with a worker, refer, decline),
// messages, the response-deadline clock with escalation, closing, rating,
// reopening, statistics, and the sealed sensitive fields.
//
// Who sees what: the applicant and the organisation's staff see the
// application; only the applicant and the assigned worker see the sensitive
// fields in clear (others get them masked); everyone else gets
// application_not_found, so an application's existence does not leak.
// Sensitive fields are sealed before they reach the repository and opened
// only to build a response for someone allowed to read them.
//
// Thread-safety: immutable after construction; safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/accounts/service.h"
#include "domains/casework/model.h"

namespace carecity::casework {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;
using accounts::Principal;

struct NewService {
  int64_t org_id = 0;
  std::string name;
  std::string description;
  std::string eligibility;
  std::vector<int64_t> village_ids;
  int64_t response_days = 0;
};

struct NewApplication {
  int64_t service_id = 0;
  std::string for_whom = "self";
  std::string beneficiary_name;
  std::string relationship;
  std::string description;
  std::string preferred_times;
  std::string contact_phone;
  std::optional<int64_t> village_id;
  Sensitive sensitive;
  bool sensitive_consent = false;
};

// An application as one viewer may see it.
struct View {
  Application app;
  std::optional<Sensitive> sensitive;  // clear or masked; nullopt when none is held
  bool sensitive_visible = false;
  bool staff = false;                  // the viewer is staff of its organisation
  bool applicant = false;
  std::optional<int64_t> reopen_until_ms;
};

struct OrgStats {
  int64_t org_id = 0;
  std::string org_name;
  int64_t applications = 0;
  int64_t open = 0;
  int64_t overdue = 0;
  std::optional<int64_t> median_first_response_ms;
  std::optional<double> satisfaction_avg;
  int64_t rated = 0;
};

class CaseworkService {
 public:
  // `data_key`: the 32-byte secretbox key (see CaseworkConfig).
  CaseworkService(db::Store& store, accounts::AccountsService& accounts, const Clock& clock,
                  const CaseworkConfig& config, std::string data_key);

  Task<Service> CreateService(const Principal& p, NewService in);
  Result<Service> CreateServiceTx(db::Tx& tx, std::optional<int64_t> actor, const NewService& in, int64_t now_ms);
  Task<std::vector<Service>> Services(std::optional<int64_t> village_id, std::optional<int64_t> org_id);
  Task<Service> GetService(int64_t id);

  Task<View> Apply(const Principal& p, NewApplication in);
  Result<View> ApplyTx(db::Tx& tx, const Principal& p, const NewApplication& in, int64_t now_ms);
  Task<View> Get(const Principal& p, int64_t id);
  Task<std::vector<View>> Mine(const Principal& p);
  Task<std::vector<View>> Inbox(const Principal& p, int64_t org_id, std::optional<std::string> status,
                                bool overdue_only);

  Task<View> Accept(const Principal& p, int64_t id, int64_t worker_id);
  Result<View> AcceptTx(db::Tx& tx, const Principal& p, int64_t id, int64_t worker_id, int64_t now_ms);
  Task<View> Refer(const Principal& p, int64_t id, int64_t service_id, std::string reason);
  Task<View> Decline(const Principal& p, int64_t id, std::string reason);
  Task<View> Close(const Principal& p, int64_t id, std::string outcome);
  Task<View> Rate(const Principal& p, int64_t id, int64_t score, std::string comment);
  Task<View> Reopen(const Principal& p, int64_t id, std::string reason);

  Task<std::vector<Message>> Messages(const Principal& p, int64_t id);
  Task<Message> PostMessage(const Principal& p, int64_t id, std::string body);
  Result<Message> PostMessageTx(db::Tx& tx, const Principal& p, int64_t id, const std::string& body, int64_t now_ms);

  // fund_admin or platform_admin.
  Task<std::vector<View>> Escalations(const Principal& p);
  Task<std::vector<OrgStats>> Stats(const Principal& p);

  // Seals nothing new: drops sealed fields of applications finished more
  // than retention_days ago. Returns how many were purged.
  int64_t PurgeTx(db::Tx& tx, int64_t now_ms);

  // A deleted account: its applications lose their sealed fields and contact
  // phone, and open ones are closed.
  void ForgetApplicantTx(db::Tx& tx, int64_t user_id, int64_t now_ms);
  // The person's applications (sensitive fields opened: it is their own
  // data), timelines and messages, for their data export (JSON).
  std::string ExportJsonTx(db::Tx& tx, int64_t user_id);

  static bool IsStaff(const Principal& p, int64_t org_id);

 private:
  // The application if `p` may see it (applicant or staff), else not found.
  Result<Application> VisibleTx(db::Tx& tx, const Principal& p, int64_t id);
  View ViewFor(db::Tx& tx, const Principal& p, Application a) const;
  // Staff of the application's organisation, with a state check.
  Result<Application> StaffActionTx(db::Tx& tx, const Principal& p, int64_t id,
                                    std::initializer_list<const char*> allowed_states);
  void NotifyApplicant(db::Tx& tx, const Application& a, const std::string& status, int64_t now_ms);

  db::Store& store_;
  accounts::AccountsService& accounts_;
  const Clock& clock_;
  const CaseworkConfig& config_;
  std::string key_;
};

}  // namespace carecity::casework
