// The training rules without a server: quiz scoring (a multiple-choice
// question is right only with exactly the right set), completion (integer
// attendance share, practice plus volunteer minutes, the assessment's
// states) and the certificate's number and state.
#include "domains/training/model.h"

#include <gtest/gtest.h>

#include <set>

namespace carecity::training {
namespace {

std::vector<Question> Quiz() {
  return {Question{"q1", {"a", "b", "c"}, {0}, false}, Question{"q2", {"a", "b", "c"}, {0, 2}, true},
          Question{"q3", {"a", "b"}, {1}, false}};
}

TEST(TrainingModel, AMultipleChoiceQuestionNeedsExactlyTheRightSet) {
  EXPECT_EQ(ScoreQuiz(Quiz(), {{0}, {2, 0}, {1}}), 100);
  EXPECT_EQ(ScoreQuiz(Quiz(), {{0}, {0}, {1}}), 66);        // one of two is not enough
  EXPECT_EQ(ScoreQuiz(Quiz(), {{0}, {0, 1, 2}, {1}}), 66);  // nor is ticking everything
  EXPECT_EQ(ScoreQuiz(Quiz(), {{}, {}, {}}), 0);
  EXPECT_EQ(ScoreQuiz({}, {}), 0);
}

TEST(TrainingModel, CompletionNeedsAttendancePracticeAndAPassedAssessment) {
  const Rules rules{75, 16, 60};
  Progress p;
  p.sessions = 8;
  p.attended = 6;                       // exactly 75 %
  p.practice_minutes = 12 * 60;
  p.volunteer_minutes = 4 * 60;         // volunteering counts towards the 16 hours
  p.quiz_best = 60;
  Judge(p, rules, true, false);
  EXPECT_TRUE(p.attendance_met);
  EXPECT_TRUE(p.practice_met);
  EXPECT_EQ(p.assessment, "passed");
  EXPECT_TRUE(p.complete);

  p.attended = 5;  // 62.5 %
  Judge(p, rules, true, false);
  EXPECT_FALSE(p.attendance_met);
  EXPECT_FALSE(p.complete);

  p.attended = 6;
  p.volunteer_minutes = 4 * 60 - 1;
  Judge(p, rules, true, false);
  EXPECT_FALSE(p.practice_met);

  p.volunteer_minutes = 4 * 60;
  p.quiz_best = 59;
  Judge(p, rules, true, false);
  EXPECT_EQ(p.assessment, "failed");
  EXPECT_FALSE(p.complete);

  // Quiz passed, the assignment not graded yet: pending, not complete.
  p.quiz_best = 80;
  Judge(p, rules, true, true);
  EXPECT_EQ(p.assessment, "pending");
  EXPECT_FALSE(p.complete);
  p.assignment_grade = 70;
  Judge(p, rules, true, true);
  EXPECT_EQ(p.assessment, "passed");
  EXPECT_TRUE(p.complete);

  Progress none;
  none.sessions = 2;
  none.attended = 2;
  Judge(none, Rules{100, 0, 60}, false, false);
  EXPECT_EQ(none.assessment, "not_required");
  EXPECT_TRUE(none.complete);
}

TEST(TrainingModel, CertificateNumbersAreRandomAndTheStateFollowsTheClock) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string no = NewCertificateNo(2026);
    ASSERT_EQ(no.size(), 17u) << no;
    ASSERT_EQ(no.rfind("GC2026-", 0), 0u);
    seen.insert(no);
    const std::string code = NewCheckCode();
    ASSERT_EQ(code.size(), 6u);
    ASSERT_TRUE(std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }));
  }
  EXPECT_EQ(seen.size(), 200u);

  Certificate c;
  c.status = "valid";
  c.expires_at_ms = 1000;
  EXPECT_EQ(c.StateAt(999), "valid");
  EXPECT_EQ(c.StateAt(1000), "expired");
  c.status = "revoked";
  EXPECT_EQ(c.StateAt(10), "revoked");
}

}  // namespace
}  // namespace carecity::training
