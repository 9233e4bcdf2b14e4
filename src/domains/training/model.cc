#include "domains/training/model.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <set>

#include "core/crypto.h"

namespace carecity::training {

namespace json = boost::json;

std::string Certificate::StateAt(int64_t now_ms) const {
  if (status == "revoked") {
    return "revoked";
  }
  return now_ms >= expires_at_ms ? "expired" : "valid";
}

bool IsPracticeKind(std::string_view s) {
  return std::find(std::begin(kPracticeKinds), std::end(kPracticeKinds), s) != std::end(kPracticeKinds);
}

bool IsMethod(std::string_view s) {
  return std::find(std::begin(kMethods), std::end(kMethods), s) != std::end(kMethods);
}

int64_t ScoreQuiz(const std::vector<Question>& quiz, const std::vector<std::vector<int64_t>>& answers) {
  if (quiz.empty()) {
    return 0;
  }
  int64_t right = 0;
  for (size_t i = 0; i < quiz.size() && i < answers.size(); ++i) {
    const std::set<int64_t> want(quiz[i].answer.begin(), quiz[i].answer.end());
    const std::set<int64_t> got(answers[i].begin(), answers[i].end());
    if (got == want) {
      ++right;
    }
  }
  return right * 100 / static_cast<int64_t>(quiz.size());
}

void Judge(Progress& p, const Rules& r, bool has_quiz, bool has_assignment) {
  // attended / sessions >= min%, in integers.
  p.attendance_met = p.sessions > 0 ? p.attended * 100 >= r.min_attendance_pct * p.sessions
                                    : r.min_attendance_pct == 0;
  p.practice_met = p.practice_minutes + p.volunteer_minutes >= r.practice_hours * 60;
  if (!has_quiz && !has_assignment) {
    p.assessment = "not_required";
  } else {
    const bool quiz_ok = !has_quiz || (p.quiz_best && *p.quiz_best >= r.pass_mark);
    const bool work_ok = !has_assignment || (p.assignment_grade && *p.assignment_grade >= r.pass_mark);
    const bool quiz_pending = has_quiz && !p.quiz_best;
    const bool work_pending = has_assignment && !p.assignment_grade;
    if (quiz_ok && work_ok) {
      p.assessment = "passed";
    } else if ((quiz_ok || quiz_pending) && (work_ok || work_pending)) {
      p.assessment = "pending";  // nothing failed yet; something is still to come
    } else {
      p.assessment = "failed";
    }
  }
  p.complete = p.attendance_met && p.practice_met && (p.assessment == "passed" || p.assessment == "not_required");
}

std::string QuizJson(const std::vector<Question>& quiz) {
  json::array a;
  for (const Question& q : quiz) {
    json::array options(q.options.begin(), q.options.end());
    json::array answer(q.answer.begin(), q.answer.end());
    a.push_back(json::object{{"text", q.text}, {"options", options}, {"answer", answer}, {"multiple", q.multiple}});
  }
  return json::serialize(a);
}

std::vector<Question> ParseQuiz(std::string_view text) {
  std::vector<Question> out;
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) {
    return out;
  }
  for (const json::value& item : v.as_array()) {
    const json::object& o = item.as_object();
    Question q;
    q.text = json::value_to<std::string>(o.at("text"));
    for (const json::value& s : o.at("options").as_array()) {
      q.options.push_back(json::value_to<std::string>(s));
    }
    for (const json::value& n : o.at("answer").as_array()) {
      q.answer.push_back(n.as_int64());
    }
    q.multiple = o.at("multiple").as_bool();
    out.push_back(std::move(q));
  }
  return out;
}

std::string NewCertificateNo(int year) {
  std::string random = NewPublicId().substr(0, 10);
  std::transform(random.begin(), random.end(), random.begin(), [](unsigned char c) { return std::toupper(c); });
  return "GC" + std::to_string(year) + "-" + random;
}

std::string NewCheckCode() { return RandomDigits(6); }

}  // namespace carecity::training
