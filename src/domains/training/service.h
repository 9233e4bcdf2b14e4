// 党员社工培育: the training service — the party-member register,
// programmes, classes whose sessions are roster-only events of the events
// domain (their QR check-in is the events domain's, run by the class's
// trainers), enrolment, materials, the quiz and the graded assignment,
// practice records, completion and certificates with a public check
// (docs/design-training.md).
//
// Who may do what: a `trainer` (or platform_admin) keeps the register and
// creates programmes and classes; the trainers of a class (or a
// platform_admin) run it: roster, materials, grading, certificates,
// revocation. A party member of an eligible village enrols themself; the
// eligibility and the seats are enforced by the statements that enrol
// (repo::EnrolIfEligible, repo::TakeSeat). Practice is confirmed by a
// trainer, or a reception shift by its room's village staff. Progress
// answers the trainee about themself and the class's trainers about all.
// Everyone may check a certificate by its number (name masked).
//
// Thread-safety: immutable after construction; safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/events/service.h"
#include "domains/market/service.h"
#include "media/files.h"
#include "domains/training/model.h"
#include "domains/training/repo.h"

namespace carecity::training {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;
using accounts::Principal;

struct SessionDraft {
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  std::string module;
};

struct ClassDraft {
  int64_t programme_id = 0;
  std::string title;
  std::optional<int64_t> org_id;  // whose events the sessions are; default [training] org
  int64_t venue_id = 0;
  int64_t capacity = 0;
  std::vector<int64_t> village_ids;
  bool secretaries_only = false;
  bool refresher = false;
  std::vector<int64_t> trainer_ids;  // besides the creator
  std::vector<SessionDraft> sessions;
  std::vector<Question> quiz;
  std::string assignment;
};

// A class as one viewer sees it.
struct ClassView {
  Class klass;
  std::optional<std::string> my_enrolment;  // enrolled | withdrawn
  bool eligible = false;                    // the viewer could enrol
  bool trainer = false;                     // the viewer runs it
  std::vector<Material> materials;          // trainers and enrolled trainees
};

struct RosterEntry {
  std::optional<int64_t> user_id;
  std::string phone;
  int64_t village_id = 0;
  bool secretary = false;
};

struct RosterResult {
  std::vector<int64_t> enrolled;
  std::vector<std::pair<std::string, std::string>> refused;  // (phone or id, error key)
};

struct PracticeDraft {
  std::string kind;
  int64_t date_ms = 0;
  int64_t minutes = 0;
  std::string place;
  std::string method;
  std::string note;
  std::optional<int64_t> room_id;
};

struct IssueResult {
  std::vector<Certificate> issued;
  std::vector<std::pair<int64_t, std::string>> refused;  // (user id, reason key)
};

// The public check of a certificate: the holder's name masked.
struct CertificateCheck {
  Certificate certificate;
  std::string state;  // valid | expired | revoked
  bool code_ok = false;
};

struct QuizResult {
  int64_t score = 0;
  int64_t best = 0;
  bool passed = false;
};

class TrainingService {
 public:
  // `default_org_id`: the organisation whose events a class's sessions are
  // when the class names none ([training] org_id; 0: none).
  // `cpu` hashes uploaded materials; `market` takes a secretary's needs
  // assessment as a village need.
  TrainingService(db::Store& store, const Clock& clock, events::EventsService& events, market::MarketService& market,
                  boost::asio::thread_pool& cpu, int64_t default_org_id);

  // Lets the class's trainers run its session events (attendance, QR
  // check-in): the events service's co-staff rule.
  bool RunsSessionTx(db::Tx& tx, const Principal& p, int64_t event_id) const;

  // ---- Register (trainer / platform_admin; village staff read their village) ----
  Task<repo::Member> AddMember(const Principal& p, RosterEntry e, std::string ip);
  Task<std::vector<repo::Member>> Members(const Principal& p, std::optional<int64_t> village_id);

  // ---- Programmes and classes ----
  Task<Programme> CreateProgramme(const Principal& p, Programme in, std::string ip);
  Result<int64_t> CreateProgrammeTx(db::Tx& tx, int64_t actor, const Programme& in, const std::string& ip,
                                    int64_t now_ms);
  Task<std::vector<Programme>> Programmes();
  Task<ClassView> CreateClass(const Principal& p, ClassDraft in, std::string ip);
  Result<int64_t> CreateClassTx(db::Tx& tx, int64_t actor, const ClassDraft& in, const std::string& ip,
                                int64_t now_ms);
  Task<ClassView> GetClass(const Principal& p, int64_t class_id);
  // scope: mine (enrolled) | teaching | open (eligible for the caller) | all (trainer/admin).
  Task<std::vector<ClassView>> ListClasses(const Principal& p, std::string scope);

  // ---- Enrolment ----
  Task<ClassView> Enrol(const Principal& p, int64_t class_id);
  Result<bool> EnrolTx(db::Tx& tx, int64_t class_id, int64_t user_id, int64_t actor, int64_t now_ms);
  // A trainer of the class: each entry joins the register, then the class.
  Task<RosterResult> AddRoster(const Principal& p, int64_t class_id, std::vector<RosterEntry> entries,
                               std::string ip);
  // The trainee themself or a trainer of the class; future sessions' seats are freed.
  Task<ClassView> Withdraw(const Principal& p, int64_t class_id, int64_t user_id);
  Task<std::vector<repo::Trainee>> Roster(const Principal& p, int64_t class_id);

  // ---- Materials and assessment ----
  Task<Material> AddMaterial(const Principal& p, int64_t class_id, Material m);
  // A PDF or image material (media::CheckFile decides the type from the
  // bytes); the class's runners only. `name` is the uploaded file's name.
  // Errors: training.class_not_found, forbidden, training.session_not_found,
  // file_empty, file_too_large, file_type.
  Task<Material> AddMaterialFile(const Principal& p, int64_t class_id, int64_t event_id, std::string title,
                                 std::string name, std::string bytes);
  // A file material's bytes, for whoever sees the class's materials
  // (runners, enrolled trainees); anyone else training.material_not_found.
  Task<media::FileDownload> MaterialFile(const Principal& p, std::string material_id);
  Task<QuizResult> SubmitQuiz(const Principal& p, int64_t class_id, std::vector<std::vector<int64_t>> answers);
  Task<repo::Assignment> SubmitAssignment(const Principal& p, int64_t class_id, std::string body);
  Task<std::vector<repo::Assignment>> Assignments(const Principal& p, int64_t class_id);
  Task<repo::Assignment> Grade(const Principal& p, int64_t class_id, int64_t user_id, int64_t grade,
                               std::string feedback, std::string ip);
  // A secretary posts their passed needs assessment (the assignment of a
  // secretaries' class) as a need of their registered village, once, in one
  // transaction with the market's rules (village staff there, budget and
  // period). `d.village_id` is set here; an empty story becomes the
  // assignment's text. Errors: training.class_not_found,
  // training.assignment_not_found, training.not_secretaries_class,
  // training.assignment_not_passed, training.need_already_posted,
  // forbidden, and the market's.
  Task<std::pair<market::Need, repo::Assignment>> PostAssignmentNeed(const Principal& p, int64_t class_id,
                                                                     market::NeedDraft d, std::string ip);

  // ---- Practice ----
  Task<Practice> LogPractice(const Principal& p, PracticeDraft d);
  Result<Practice> LogPracticeTx(db::Tx& tx, int64_t user_id, const PracticeDraft& d, int64_t now_ms);
  Task<Practice> DecidePractice(const Principal& p, std::string id, bool confirm, std::string reason,
                                std::string ip);
  Task<std::vector<Practice>> MyPractice(const Principal& p);
  // Trainers: every pending record; village staff: reception shifts at their rooms.
  Task<std::vector<Practice>> PendingPractice(const Principal& p);

  // ---- Progress and certificates ----
  // The class's trainers: everyone enrolled; a trainee: themself only.
  Task<std::vector<Progress>> ProgressOf(const Principal& p, int64_t class_id);
  Result<Progress> ProgressTx(db::Tx& tx, const Class& c, const Programme& prog, int64_t user_id,
                              int64_t now_ms) const;
  Task<IssueResult> Issue(const Principal& p, int64_t class_id, std::vector<int64_t> user_ids, std::string ip);
  Result<IssueResult> IssueTx(db::Tx& tx, int64_t actor, int64_t class_id, const std::vector<int64_t>& user_ids,
                              const std::string& ip, int64_t now_ms);
  Task<std::vector<Certificate>> MyCertificates(const Principal& p);
  Task<std::vector<Certificate>> ClassCertificates(const Principal& p, int64_t class_id);
  // Public; `code` (optional) is the printed check code.
  Task<CertificateCheck> Check(std::string cert_no, std::optional<std::string> code);
  // The holder's own certificate in full (for printing and the QR).
  Task<Certificate> MyCertificate(const Principal& p, std::string cert_no);
  Task<Certificate> Revoke(const Principal& p, std::string cert_no, std::string reason, std::string ip);

  const Clock& clock() const { return clock_; }

 private:
  Result<ClassView> ViewTx(db::Tx& tx, const Principal& p, int64_t class_id) const;
  bool CanRun(db::Tx& tx, const Principal& p, int64_t class_id) const;
  // Who reads a class's materials: those who run it and those enrolled.
  static bool SeesMaterials(bool runs_class, const std::optional<std::string>& enrolment) {
    return runs_class || enrolment == "enrolled";
  }
  bool SeesMaterialsTx(db::Tx& tx, const Principal& p, int64_t class_id) const;
  // A material's class and session checked for one who runs the class:
  // class_not_found (404), forbidden (403), session_not_found (404, field
  // event_id).
  Status SessionOfClassTx(db::Tx& tx, const Principal& p, int64_t class_id, int64_t event_id) const;
  Status SignUpForSessionsTx(db::Tx& tx, const Class& c, int64_t user_id, int64_t now_ms);
  // Enrols one person in a class not over yet; writes nothing when it refuses.
  Status EnrolInTx(db::Tx& tx, const Class& c, int64_t user_id, int64_t actor, int64_t now_ms);

  db::Store& store_;
  const Clock& clock_;
  events::EventsService& events_;
  market::MarketService& market_;
  boost::asio::thread_pool& cpu_;
  int64_t default_org_id_;
};

}  // namespace carecity::training
