#include "domains/accounts/session_cache.h"

#include <gtest/gtest.h>

namespace carecity::accounts {
namespace {

Principal Person(int64_t user_id, int64_t session_id) {
  Principal p;
  p.user_id = user_id;
  p.session_id = session_id;
  p.display_name = "陈阿姨";
  p.roles.push_back(RoleGrant{Role::kResident});
  return p;
}

TEST(SessionCache, AnswersUntilTheSoonerOfItsTimeToLiveAndTheSessionsExpiry) {
  SessionCache cache(30'000, 100);
  cache.Put("a", Person(1, 10), /*session_expires_at_ms=*/1'000'000, /*last_seen=*/0, /*now=*/0, cache.epoch());
  cache.Put("b", Person(2, 20), /*session_expires_at_ms=*/5'000, 0, 0, cache.epoch());
  EXPECT_EQ(cache.Get("a", 29'999)->principal.user_id, 1);
  EXPECT_FALSE(cache.Get("a", 30'000));
  EXPECT_TRUE(cache.Get("b", 4'999));
  EXPECT_FALSE(cache.Get("b", 5'000));
  EXPECT_FALSE(cache.Get("nobody", 0));
}

TEST(SessionCache, DropsASessionOrEverySessionOfAPerson) {
  SessionCache cache(30'000, 100);
  cache.Put("phone", Person(1, 10), 1'000'000, 0, 0, cache.epoch());
  cache.Put("laptop", Person(1, 11), 1'000'000, 0, 0, cache.epoch());
  cache.Put("other", Person(2, 20), 1'000'000, 0, 0, cache.epoch());
  cache.DropSession(11);
  EXPECT_TRUE(cache.Get("phone", 1));
  EXPECT_FALSE(cache.Get("laptop", 1));
  cache.DropUser(1);
  EXPECT_FALSE(cache.Get("phone", 1));
  EXPECT_TRUE(cache.Get("other", 1));
}

TEST(SessionCache, ALookupThatRacedAChangeIsNotKept) {
  // A request reads the session (old roles) while an admin revokes a role
  // and drops the person's entries; the late answer must not come back.
  SessionCache cache(30'000, 100);
  const uint64_t before = cache.epoch();
  cache.DropUser(1);
  cache.Put("phone", Person(1, 10), 1'000'000, 0, 0, before);
  EXPECT_FALSE(cache.Get("phone", 1));
  cache.Put("phone", Person(1, 10), 1'000'000, 0, 0, cache.epoch());
  EXPECT_TRUE(cache.Get("phone", 1));
}

TEST(SessionCache, StaysWithinItsCapacityAndCanBeSwitchedOff) {
  SessionCache cache(30'000, 3);
  for (int i = 0; i < 10; ++i) {
    cache.Put("t" + std::to_string(i), Person(i, i), 1'000'000, 0, 0, cache.epoch());
    EXPECT_LE(cache.size(), 3u);
  }
  EXPECT_TRUE(cache.Get("t9", 1));

  SessionCache off(0, 100);
  off.Put("a", Person(1, 10), 1'000'000, 0, 0, off.epoch());
  EXPECT_FALSE(off.enabled());
  EXPECT_FALSE(off.Get("a", 1));
}

TEST(SessionCache, RemembersWhenTheSessionWasLastRecordedAsSeen) {
  SessionCache cache(30'000, 100);
  cache.Put("a", Person(1, 10), 1'000'000, /*last_seen=*/100, 100, cache.epoch());
  EXPECT_EQ(cache.Get("a", 200)->last_seen_at_ms, 100);
  cache.Touched("a", 400'000);
  EXPECT_EQ(cache.Get("a", 200)->last_seen_at_ms, 400'000);
}

}  // namespace
}  // namespace carecity::accounts
