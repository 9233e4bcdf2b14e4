// 党员社工培育: programmes, classes, practice, progress and certificates.
// Plain data and the pure rules on it (docs/design-training.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carecity::training {

struct Rules {
  int64_t min_attendance_pct = 0;  // share of the class's sessions checked in at
  int64_t practice_hours = 0;      // confirmed practice plus volunteer-service hours
  int64_t pass_mark = 60;          // of 100, for the quiz and the graded assignment
};

struct Programme {
  int64_t id = 0;
  std::string title;
  std::string description;
  std::vector<std::string> modules;
  Rules rules;
  std::string certificate_level;
  int64_t valid_years = 0;
  int64_t created_at_ms = 0;
};

// One question of a class's quiz: single or multiple choice; `answer` holds
// the indexes of the right options (never sent to trainees).
struct Question {
  std::string text;
  std::vector<std::string> options;
  std::vector<int64_t> answer;
  bool multiple = false;
};

struct Session {
  int64_t event_id = 0;
  int64_t seq = 0;
  std::string module;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  std::string status;  // the event's: published | cancelled
};

struct NamedId {
  int64_t id = 0;
  std::string name;
};

struct Class {
  int64_t id = 0;
  int64_t programme_id = 0;
  std::string programme_title;
  std::string title;
  int64_t org_id = 0;
  std::string org_name;
  int64_t venue_id = 0;
  std::string venue_name;
  int64_t capacity = 0;
  int64_t enrolled = 0;
  bool secretaries_only = false;
  bool refresher = false;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  std::vector<Question> quiz;
  std::string assignment;
  std::vector<NamedId> villages;
  std::vector<NamedId> trainers;
  std::vector<Session> sessions;
  int64_t created_at_ms = 0;
};

struct Material {
  std::string public_id;
  int64_t event_id = 0;
  std::string title;
  std::string kind;  // markdown | pdf | image
  std::string body;
  std::string file_name;
  std::string content_type;
  int64_t size_bytes = 0;
  std::string sha256;
  int64_t created_at_ms = 0;
};

struct Practice {
  int64_t id = 0;
  std::string public_id;
  int64_t user_id = 0;
  std::string user_name;
  std::string kind;    // reception | home_visit | volunteer | other
  int64_t date_ms = 0;
  int64_t minutes = 0;
  std::string place;
  std::string method;  // casework | groupwork | community | other
  std::string note;
  std::optional<int64_t> room_id;
  std::string status;  // pending | confirmed | rejected
  std::string reason;
  std::optional<int64_t> decided_at_ms;
  int64_t created_at_ms = 0;
};

// What counts toward one trainee's completion of one class.
struct Progress {
  int64_t user_id = 0;
  std::string name;
  int64_t sessions = 0;
  int64_t attended = 0;
  int64_t attended_minutes = 0;   // the attended sessions' length (for the certificate's hours)
  int64_t practice_minutes = 0;   // confirmed practice records
  int64_t volunteer_minutes = 0;  // volunteer-service records from event check-ins
  int64_t pending_practice_minutes = 0;
  std::optional<int64_t> quiz_best;       // nullopt: no attempt (or no quiz)
  std::optional<int64_t> assignment_grade;
  bool assignment_submitted = false;
  std::string assessment;  // passed | failed | pending | not_required
  bool attendance_met = false;
  bool practice_met = false;
  bool complete = false;
  std::optional<std::string> certificate_no;
};

struct Certificate {
  int64_t id = 0;
  std::string cert_no;
  std::string check_code;
  int64_t user_id = 0;
  int64_t class_id = 0;
  int64_t programme_id = 0;
  std::string holder_name;
  std::string programme_title;
  std::string level;
  int64_t hours = 0;
  std::string issuer;
  int64_t issued_at_ms = 0;
  int64_t expires_at_ms = 0;
  std::optional<int64_t> renews_id;
  std::string status;  // valid | revoked (stored); expiry is read against the clock
  std::optional<std::string> revoked_reason;
  std::optional<int64_t> revoked_at_ms;

  // valid | expired | revoked at now_ms.
  std::string StateAt(int64_t now_ms) const;
};

inline constexpr std::string_view kPracticeKinds[] = {"reception", "home_visit", "volunteer", "other"};
inline constexpr std::string_view kMethods[] = {"casework", "groupwork", "community", "other"};
bool IsPracticeKind(std::string_view s);
bool IsMethod(std::string_view s);

// Percent of the quiz answered right (0–100, rounded down); every question
// weighs the same and a multiple-choice one counts only when exactly right.
// `answers[i]` are the chosen option indexes of question i.
int64_t ScoreQuiz(const std::vector<Question>& quiz, const std::vector<std::vector<int64_t>>& answers);

// Fills attendance_met, practice_met, assessment and complete from the
// counts and the rules. `has_quiz` / `has_assignment`: what the class asks.
void Judge(Progress& p, const Rules& r, bool has_quiz, bool has_assignment);

std::string QuizJson(const std::vector<Question>& quiz);
std::vector<Question> ParseQuiz(std::string_view json);

// A new certificate number: "GC" + year + "-" + 10 random base32 symbols;
// unguessable, so the public check cannot be walked.
std::string NewCertificateNo(int year);
// Six random digits printed beside the number.
std::string NewCheckCode();

}  // namespace carecity::training
