// SQL for training (programmes, classes, enrolments, practice, assessment,
// certificates). Every function runs in the caller's transaction and throws
// db::DbError on database failure; none decides a rule, except where a
// statement is the rule's enforcement (named below).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/tx.h"
#include "domains/training/model.h"

namespace carecity::training::repo {

// ---- The party-member register ----
struct Member {
  int64_t user_id = 0;
  std::string name;
  std::string phone;
  int64_t village_id = 0;
  std::string village_name;
  bool secretary = false;
};
void UpsertMember(db::Tx& tx, int64_t user_id, int64_t village_id, bool secretary, int64_t by, int64_t now_ms);
std::optional<Member> FindMember(db::Tx& tx, int64_t user_id);
std::vector<Member> ListMembers(db::Tx& tx, std::optional<int64_t> village_id, int limit);

// ---- Programmes ----
int64_t InsertProgramme(db::Tx& tx, const Programme& p, int64_t by, int64_t now_ms);
std::optional<Programme> FindProgramme(db::Tx& tx, int64_t id);
std::vector<Programme> ListProgrammes(db::Tx& tx);

// ---- Classes ----
int64_t InsertClass(db::Tx& tx, const Class& c, int64_t by, int64_t now_ms);
void InsertClassVillage(db::Tx& tx, int64_t class_id, int64_t village_id);
void InsertClassTrainer(db::Tx& tx, int64_t class_id, int64_t user_id);
void InsertSession(db::Tx& tx, int64_t class_id, int64_t event_id, int64_t seq, const std::string& module);
// The class with its villages, trainers and sessions (times from the events).
std::optional<Class> FindClass(db::Tx& tx, int64_t id);
struct ClassFilter {
  std::optional<int64_t> programme_id;
  std::optional<int64_t> trainer_id;   // classes this trainer runs
  std::optional<int64_t> trainee_id;   // classes this person is enrolled in
  std::optional<int64_t> village_id;   // classes open to this village
};
std::vector<int64_t> ListClassIds(db::Tx& tx, const ClassFilter& f, int limit);
// The organisation of the most recently created class, if any.
std::optional<int64_t> LatestClassOrg(db::Tx& tx);
bool IsTrainerOf(db::Tx& tx, int64_t class_id, int64_t user_id);
std::optional<int64_t> ClassOfSession(db::Tx& tx, int64_t event_id);

// ---- Enrolments ----
// The eligibility rule, enforced by the INSERT itself: the person is on the
// party-member register in one of the class's villages (and a secretary for
// a secretaries' class). A withdrawn enrolment comes back. False: not
// eligible, or already enrolled (the caller tells which).
bool EnrolIfEligible(db::Tx& tx, int64_t class_id, int64_t user_id, int64_t by, int64_t now_ms);
// The seat rule: one more enrolled only below the capacity (and the CHECK).
bool TakeSeat(db::Tx& tx, int64_t class_id);
void FreeSeat(db::Tx& tx, int64_t class_id);
std::optional<std::string> EnrolmentStatus(db::Tx& tx, int64_t class_id, int64_t user_id);
bool Withdraw(db::Tx& tx, int64_t class_id, int64_t user_id);
struct Trainee {
  int64_t user_id = 0;
  std::string name;
  std::string phone;
  int64_t village_id = 0;
  std::string village_name;
  int64_t enrolled_at_ms = 0;
};
std::vector<Trainee> ListTrainees(db::Tx& tx, int64_t class_id);

// ---- Materials ----
void InsertMaterial(db::Tx& tx, const Material& m, int64_t by);
std::vector<Material> ListMaterials(db::Tx& tx, int64_t class_id);
// A material by its public id, with its class's id (nullopt: none).
std::optional<std::pair<int64_t, Material>> FindMaterial(db::Tx& tx, const std::string& public_id);

// ---- Assessment ----
void InsertQuizAttempt(db::Tx& tx, int64_t class_id, int64_t user_id, int64_t score, const std::string& answers_json,
                       int64_t now_ms);
std::optional<int64_t> BestQuizScore(db::Tx& tx, int64_t class_id, int64_t user_id);
// A new or replaced submission; false once graded (nothing written).
bool SubmitAssignment(db::Tx& tx, int64_t class_id, int64_t user_id, const std::string& body, int64_t now_ms);
struct Assignment {
  int64_t user_id = 0;
  std::string body;
  int64_t submitted_at_ms = 0;
  std::optional<int64_t> grade;
  std::string feedback;
  bool passed = false;                   // graded at the pass mark or above
  std::optional<std::string> need_id;    // the market need it became (public id)
};
std::optional<Assignment> FindAssignment(db::Tx& tx, int64_t class_id, int64_t user_id);
// Locks a passed assignment not yet posted as a need, for posting it;
// false (and nothing locked) if it has not passed or was posted already.
bool ClaimAssignmentForNeed(db::Tx& tx, int64_t class_id, int64_t user_id);
void SetAssignmentNeed(db::Tx& tx, int64_t class_id, int64_t user_id, int64_t need_id);
bool GradeAssignment(db::Tx& tx, int64_t class_id, int64_t user_id, int64_t grade, const std::string& feedback,
                     int64_t by, int64_t now_ms);

// ---- Practice ----
int64_t InsertPractice(db::Tx& tx, const Practice& p);
std::optional<Practice> FindPracticeByPublicId(db::Tx& tx, const std::string& public_id);
// Pending -> confirmed | rejected; false if it was decided meanwhile.
bool DecidePractice(db::Tx& tx, int64_t id, const std::string& status, const std::string& reason, int64_t by,
                    int64_t now_ms);
std::vector<Practice> ListPracticeOf(db::Tx& tx, int64_t user_id, int limit);
// Pending records; `village_ids` set: only reception shifts at those villages' rooms.
std::vector<Practice> ListPendingPractice(db::Tx& tx, const std::optional<std::vector<int64_t>>& village_ids,
                                          int limit);
// Minutes of the person's practice dated within [from_ms, to_ms], by status.
int64_t PracticeMinutesBetween(db::Tx& tx, int64_t user_id, int64_t from_ms, int64_t to_ms,
                               const std::string& status);
// The village of a reception room, if the room exists.
std::optional<int64_t> RoomVillage(db::Tx& tx, int64_t room_id);

// ---- Certificates ----
// False if the trainee already has this class's certificate (UNIQUE key).
bool InsertCertificate(db::Tx& tx, Certificate& c, int64_t by);
std::optional<Certificate> FindCertificate(db::Tx& tx, const std::string& cert_no);
std::optional<Certificate> CertificateOfClass(db::Tx& tx, int64_t class_id, int64_t user_id);
// The person's latest certificate of the programme (for a renewal).
std::optional<Certificate> LatestOfProgramme(db::Tx& tx, int64_t user_id, int64_t programme_id);
std::vector<Certificate> CertificatesOf(db::Tx& tx, int64_t user_id);
std::vector<Certificate> CertificatesOfClass(db::Tx& tx, int64_t class_id);
// Valid -> revoked; false if already revoked.
bool RevokeCertificate(db::Tx& tx, int64_t id, const std::string& reason, int64_t by, int64_t now_ms);

}  // namespace carecity::training::repo
