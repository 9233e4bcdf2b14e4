// The casework service: the catalogue of services organisations offer and
// residents' applications — triage (accept with a worker, refer, decline),
// messages, the response-deadline clock with escalation, closing, rating,
// reopening, statistics, and the sealed sensitive fields.
//
// Who sees what: the applicant and the organisation's staff see the
// application; only the applicant and the assigned worker see the sensitive
// fields in clear (others get them masked); everyone else gets
// application_not_found, so an application's existence does not leak.
// Sensitive fields are sealed before they reach the repository (bound to
// their application's row and column: SealBound) and opened only to build a
// response for someone allowed to read them. Lists never carry them in
// clear; every response that shows them in clear to anyone but the
// applicant is written to the audit log first (who, which application, when
// and from which address; never the value), and is not given if that fails.
//
// Every change to an application takes its row lock first
// (repo::LockApplication) and decides on the row as it is then, so two
// servers cannot both accept, close or rate it, nor act on an application
// that was referred elsewhere meanwhile. `ip` parameters are the client's
// address, kept in the audit entries the call writes.
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
  std::optional<Sensitive> sensitive;  // clear or masked; nullopt when none is held (or it does not open)
  bool sensitive_visible = false;      // the viewer may read it in clear (and `sensitive` is clear)
  bool sensitive_unreadable = false;   // a sealed value is held but does not open for this application
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
  // `data_key`: the 32-byte data key (see CaseworkConfig).
  CaseworkService(db::Store& store, accounts::AccountsService& accounts, const Clock& clock,
                  const CaseworkConfig& config, std::string data_key);

  Task<Service> CreateService(const Principal& p, NewService in, std::string ip);
  Result<Service> CreateServiceTx(db::Tx& tx, std::optional<int64_t> actor, const NewService& in, int64_t now_ms,
                                  const std::string& ip = {});
  Task<std::vector<Service>> Services(std::optional<int64_t> village_id, std::optional<int64_t> org_id);
  Task<Service> GetService(int64_t id);

  Task<View> Apply(const Principal& p, NewApplication in);
  Result<View> ApplyTx(db::Tx& tx, const Principal& p, const NewApplication& in, int64_t now_ms);
  // The one response that may carry sensitive fields in clear (to the
  // applicant and the assigned worker; the worker's reading is audited).
  Task<View> Get(const Principal& p, int64_t id, std::string ip);
  // Lists: sensitive fields in clear only for the applicant (masked for
  // staff, the assigned worker included: they open one application to read).
  Task<std::vector<View>> Mine(const Principal& p);
  Task<std::vector<View>> Inbox(const Principal& p, int64_t org_id, std::optional<std::string> status,
                                bool overdue_only);

  // The actions answer with the application as the actor now sees it (as
  // Get does). A lost race answers what the loser would be told had it come
  // second: 409 invalid_transition / already_rated, or not found once the
  // application was referred away.
  Task<View> Accept(const Principal& p, int64_t id, int64_t worker_id, std::string ip);
  Task<View> Refer(const Principal& p, int64_t id, int64_t service_id, std::string reason, std::string ip);
  Task<View> Decline(const Principal& p, int64_t id, std::string reason, std::string ip);
  Task<View> Close(const Principal& p, int64_t id, std::string outcome, std::string ip);
  Task<View> Rate(const Principal& p, int64_t id, int64_t score, std::string comment, std::string ip);
  Task<View> Reopen(const Principal& p, int64_t id, std::string reason, std::string ip);

  Task<std::vector<Message>> Messages(const Principal& p, int64_t id);
  Task<Message> PostMessage(const Principal& p, int64_t id, std::string body);

  // fund_admin or platform_admin.
  Task<std::vector<View>> Escalations(const Principal& p);
  Task<std::vector<OrgStats>> Stats(const Principal& p);

  // Seals nothing new: drops sealed fields of applications finished more
  // than retention_days ago. Returns how many were purged.
  int64_t PurgeTx(db::Tx& tx, int64_t now_ms);

  // Re-seals, bound to their row, the sensitive fields sealed before values
  // were bound (secretbox, no associated data): App::Open runs it before the
  // server answers anyone. Idempotent (only values in the old format are
  // touched) and resumable (batches commit on their own; a restart carries
  // on). Several servers starting at once on PostgreSQL each replace a value
  // only by a conditional write on the value they read, so one re-sealing
  // lands per row. A pass that finds none left marks it in platform_settings
  // and later starts skip the scan. Values that do not open with the key are
  // left (and logged): they stay unreadable. Returns how many were re-sealed.
  // Thread-safe; blocks on the store (call it from start-up, not a handler).
  Result<int64_t> ResealUnbound();

  // A deleted account: its applications lose their sealed fields and contact
  // phone, and open ones are closed.
  void ForgetApplicantTx(db::Tx& tx, int64_t user_id, int64_t now_ms);
  // The person's applications (sensitive fields opened: it is their own
  // data), timelines and messages, for their data export (JSON).
  std::string ExportJsonTx(db::Tx& tx, int64_t user_id);

  static bool IsStaff(const Principal& p, int64_t org_id);

 private:
  // Whether a view may carry the sensitive fields in clear.
  enum class Detail { kList, kFull };

  // The application if `p` may see it (applicant or staff), else not found.
  // `lock`: take its row lock first (write jobs that change it).
  Result<Application> VisibleTx(db::Tx& tx, const Principal& p, int64_t id, bool lock);
  View ViewFor(db::Tx& tx, const Principal& p, Application a, Detail detail) const;
  // The full view of application `id` for `p` after a change, with the
  // disclosure audited in the same transaction.
  Result<View> RespondTx(db::Tx& tx, const Principal& p, int64_t id, const std::string& ip, int64_t now_ms);
  // Writes the audit entry for a view showing sensitive fields in clear to
  // someone other than the applicant; nothing otherwise.
  void AuditDisclosureTx(db::Tx& tx, const Principal& p, const View& v, const std::string& ip, int64_t now_ms) const;
  // Staff of the application's organisation, with a state check, under the
  // application's row lock.
  Result<Application> StaffActionTx(db::Tx& tx, const Principal& p, int64_t id,
                                    std::initializer_list<const char*> allowed_states);
  Result<View> AcceptTx(db::Tx& tx, const Principal& p, int64_t id, int64_t worker_id, const std::string& ip,
                        int64_t now_ms);
  Result<Message> PostMessageTx(db::Tx& tx, const Principal& p, int64_t id, const std::string& body, int64_t now_ms);
  void NotifyApplicant(db::Tx& tx, const Application& a, const std::string& status, int64_t now_ms);
  // Sealing bound to the application's row and column.
  std::string SealSensitive(int64_t application_id, const Sensitive& s) const;
  std::optional<Sensitive> OpenSensitive(const Application& a) const;

  db::Store& store_;
  accounts::AccountsService& accounts_;
  const Clock& clock_;
  const CaseworkConfig& config_;
  std::string key_;
};

}  // namespace carecity::casework
