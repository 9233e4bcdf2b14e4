// The bidding rules alone (domains/auction/model.h), no database.
#include "domains/auction/model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

namespace carecity::auction {
namespace {

constexpr int64_t kStart = 1'000'000;
constexpr int64_t kEnd = kStart + 3'600'000;
constexpr int64_t kWindow = 5 * 60 * 1000;

LotRules Rules(Fen start_price = 10000, std::optional<Fen> reserve = std::nullopt) {
  LotRules r;
  r.start_price_fen = start_price;
  r.reserve_fen = reserve;
  r.starts_at_ms = kStart;
  r.ends_at_ms = kEnd;
  r.extend_window_ms = kWindow;
  r.max_extensions = 12;
  return r;
}

// Applies one bid that must be accepted.
LotState Accept(const LotRules& rules, const LotState& s, int64_t who, Fen max, int64_t at = kStart + 1000) {
  BidOutcome o = PlaceBid(rules, s, {who, max, at});
  EXPECT_TRUE(o.accepted) << "bidder " << who << " max " << max << ": " << RejectionKey(o.rejection);
  return o.state;
}

TEST(IncrementTableTest, DefaultBandsStepAtTheirLowerBound) {
  const IncrementTable t = IncrementTable::Default();
  EXPECT_EQ(t.StepAt(0), 1000);
  EXPECT_EQ(t.StepAt(19999), 1000);
  EXPECT_EQ(t.StepAt(20000), 2000);
  EXPECT_EQ(t.StepAt(99999), 2000);
  EXPECT_EQ(t.StepAt(100000), 5000);
  EXPECT_EQ(t.StepAt(499999), 5000);
  EXPECT_EQ(t.StepAt(500000), 10000);
  EXPECT_EQ(t.StepAt(1'000'000'000), 10000);
}

TEST(IncrementTableTest, ParsesTheConfigurationForm) {
  auto t = IncrementTable::Parse("0:100, 5000:500,10000:1000");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->StepAt(4999), 100);
  EXPECT_EQ(t->StepAt(5000), 500);
  EXPECT_EQ(t->StepAt(10000), 1000);
  auto d = IncrementTable::Parse("0:1000,20000:2000,100000:5000,500000:10000");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->bands().size(), IncrementTable::Default().bands().size());
}

TEST(IncrementTableTest, RefusesMalformedOrInconsistentBands) {
  for (const char* bad : {"", "100:10", "0:0", "0:10,0:20", "0:10,500:5", "0:10,400:20,300:30", "0-10", "0:x",
                          "0:10,", "a:10", "0:10:20", "0:-5"}) {
    auto t = IncrementTable::Parse(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().field, "increments") << bad;
  }
}

TEST(AuctionModelTest, FirstBidOpensAtTheStartPriceWhateverItsMaximum) {
  const LotRules r = Rules();
  BidOutcome o = PlaceBid(r, InitialState(r), {1, 50000, kStart});
  ASSERT_TRUE(o.accepted);
  EXPECT_EQ(o.state.price_fen, 10000);
  EXPECT_EQ(o.state.leader_id, 1);
  EXPECT_EQ(o.state.leader_max_fen, 50000);
  EXPECT_EQ(o.state.bid_count, 1);
  EXPECT_TRUE(o.leading);
  EXPECT_TRUE(o.raised_price);
  EXPECT_FALSE(o.outbid_id);
}

TEST(AuctionModelTest, FirstBidBelowTheStartPriceIsTooLow) {
  const LotRules r = Rules();
  BidOutcome o = PlaceBid(r, InitialState(r), {1, 9999, kStart});
  EXPECT_FALSE(o.accepted);
  EXPECT_EQ(o.rejection, Rejection::kTooLow);
  EXPECT_EQ(o.min_fen, 10000);
  EXPECT_EQ(o.state, InitialState(r));
}

TEST(AuctionModelTest, BeforeTheStartAndAtTheEndBidsAreRefused) {
  const LotRules r = Rules();
  EXPECT_EQ(PlaceBid(r, InitialState(r), {1, 10000, kStart - 1}).rejection, Rejection::kNotStarted);
  EXPECT_TRUE(PlaceBid(r, InitialState(r), {1, 10000, kStart}).accepted);
  EXPECT_TRUE(PlaceBid(r, InitialState(r), {1, 10000, kEnd - 1}).accepted);
  EXPECT_EQ(PlaceBid(r, InitialState(r), {1, 10000, kEnd}).rejection, Rejection::kClosed);
  EXPECT_EQ(PlaceBid(r, InitialState(r), {1, 10000, kEnd + 1}).rejection, Rejection::kClosed);
}

TEST(AuctionModelTest, AHigherMaximumLeadsAtTheOldMaximumPlusOneIncrement) {
  const LotRules r = Rules();
  LotState s = Accept(r, InitialState(r), 1, 30000);
  BidOutcome o = PlaceBid(r, s, {2, 80000, kStart + 2000});
  ASSERT_TRUE(o.accepted);
  EXPECT_EQ(o.state.leader_id, 2);
  EXPECT_EQ(o.state.price_fen, 32000);  // ¥300 + ¥20
  EXPECT_EQ(o.state.runner_up_id, 1);
  EXPECT_EQ(o.state.runner_up_max_fen, 30000);
  EXPECT_EQ(o.outbid_id, 1);
  EXPECT_TRUE(o.leading);
}

TEST(AuctionModelTest, ThePriceIsCappedAtTheNewLeadersMaximum) {
  const LotRules r = Rules();
  LotState s = Accept(r, InitialState(r), 1, 30000);
  s = Accept(r, s, 2, 31000);  // min is ¥100 + ¥10; the leader's ¥300 + ¥20 exceeds ¥310
  EXPECT_EQ(s.leader_id, 2);
  EXPECT_EQ(s.price_fen, 31000);
}

TEST(AuctionModelTest, ABidBelowTheLeadersMaximumIsAcceptedAndRaisesThePrice) {
  const LotRules r = Rules();
  LotState s = Accept(r, InitialState(r), 1, 50000);
  BidOutcome o = PlaceBid(r, s, {2, 20000, kStart + 2000});
  ASSERT_TRUE(o.accepted);
  EXPECT_FALSE(o.leading);
  EXPECT_TRUE(o.raised_price);
  EXPECT_EQ(o.state.leader_id, 1);
  EXPECT_EQ(o.state.price_fen, 22000);  // ¥200 + ¥20 (the band at ¥200)
  EXPECT_EQ(o.state.runner_up_id, 2);
  EXPECT_FALSE(o.outbid_id);
}

TEST(AuctionModelTest, EqualMaximaTheEarlierBidLeadsAtThatMaximum) {
  const LotRules r = Rules();
  LotState s = Accept(r, InitialState(r), 1, 50000);
  BidOutcome o = PlaceBid(r, s, {2, 50000, kStart + 2000});
  ASSERT_TRUE(o.accepted);
  EXPECT_EQ(o.state.leader_id, 1);
  EXPECT_EQ(o.state.price_fen, 50000);
  EXPECT_FALSE(o.leading);
  // Bidder 2 now needs ¥500 + ¥20.
  EXPECT_EQ(MinimumBid(r, o.state, 2), 52000);
  EXPECT_EQ(MinimumBid(r, o.state, 1), 50001);
}

TEST(AuctionModelTest, ABidBelowPricePlusIncrementIsTooLowAndNamesTheMinimum) {
  const LotRules r = Rules();
  LotState s = Accept(r, InitialState(r), 1, 50000);
  s = Accept(r, s, 2, 20000);  // price ¥220
  BidOutcome o = PlaceBid(r, s, {3, 23999, kStart + 3000});
  EXPECT_FALSE(o.accepted);
  EXPECT_EQ(o.rejection, Rejection::kTooLow);
  EXPECT_EQ(o.min_fen, 24000);
  EXPECT_EQ(o.state, s);
  EXPECT_TRUE(PlaceBid(r, s, {3, 24000, kStart + 3000}).accepted);
}

TEST(AuctionModelTest, TheLeaderRaisingTheirMaximumLeavesThePrice) {
  const LotRules r = Rules();
  LotState s = Accept(r, InitialState(r), 1, 30000);
  s = Accept(r, s, 2, 20000);  // price ¥220
  BidOutcome o = PlaceBid(r, s, {1, 90000, kEnd - 1000});
  ASSERT_TRUE(o.accepted);
  EXPECT_EQ(o.state.price_fen, 22000);
  EXPECT_EQ(o.state.leader_max_fen, 90000);
  EXPECT_FALSE(o.raised_price);
  EXPECT_FALSE(o.extended);  // non-raising: never extends, even in the window
  EXPECT_EQ(o.state.ends_at_ms, kEnd);
  EXPECT_EQ(o.state.bid_count, 3);
}

TEST(AuctionModelTest, TheLeaderMustExceedTheirOwnMaximum) {
  const LotRules r = Rules();
  LotState s = Accept(r, InitialState(r), 1, 30000);
  BidOutcome o = PlaceBid(r, s, {1, 30000, kStart + 2000});
  EXPECT_EQ(o.rejection, Rejection::kTooLow);
  EXPECT_EQ(o.min_fen, 30001);
  EXPECT_TRUE(o.leading);
}

TEST(AuctionModelTest, TheLeaderRaisingPastABindingCapMovesThePriceToRunnerUpPlusIncrement) {
  const LotRules r = Rules();
  LotState s = Accept(r, InitialState(r), 1, 50000);
  s = Accept(r, s, 2, 50000);  // tie: price capped at ¥500
  BidOutcome o = PlaceBid(r, s, {1, 70000, kStart + 3000});
  ASSERT_TRUE(o.accepted);
  EXPECT_EQ(o.state.price_fen, 52000);
  EXPECT_TRUE(o.raised_price);
}

TEST(AuctionModelTest, AFirstBidMeetingTheReserveOpensAtTheReserve) {
  const LotRules r = Rules(10000, 40000);
  LotState s = Accept(r, InitialState(r), 1, 60000);
  EXPECT_EQ(s.price_fen, 40000);
  EXPECT_TRUE(ReserveMet(r, s));
}

TEST(AuctionModelTest, TheLeaderMeetingTheReserveRaisesThePriceToIt) {
  const LotRules r = Rules(10000, 40000);
  LotState s = Accept(r, InitialState(r), 1, 20000);
  EXPECT_EQ(s.price_fen, 10000);
  EXPECT_FALSE(ReserveMet(r, s));
  EXPECT_EQ(Close(r, s), CloseResult::kReserveNotMet);
  BidOutcome o = PlaceBid(r, s, {1, 45000, kStart + 2000});
  ASSERT_TRUE(o.accepted);
  EXPECT_EQ(o.state.price_fen, 40000);
  EXPECT_TRUE(o.raised_price);
  EXPECT_TRUE(ReserveMet(r, o.state));
  EXPECT_EQ(Close(r, o.state), CloseResult::kSold);
}

TEST(AuctionModelTest, BelowTheReserveTheLotIsUnsoldWithoutBidsToo) {
  const LotRules r = Rules(10000, 40000);
  EXPECT_EQ(Close(r, InitialState(r)), CloseResult::kNoBids);
  LotState s = Accept(r, InitialState(r), 1, 30000);
  s = Accept(r, s, 2, 35000);
  EXPECT_EQ(s.price_fen, 32000);
  EXPECT_EQ(Close(r, s), CloseResult::kReserveNotMet);
  s = Accept(r, s, 1, 40000);  // a non-leader meeting it: price at the reserve
  EXPECT_EQ(s.leader_id, 1);
  EXPECT_EQ(s.price_fen, 40000);
  EXPECT_EQ(Close(r, s), CloseResult::kSold);
}

TEST(SoftCloseTest, ABidAtEndMinusOneMillisecondExtendsToNowPlusTheWindow) {
  const LotRules r = Rules();
  BidOutcome o = PlaceBid(r, InitialState(r), {1, 10000, kEnd - 1});
  ASSERT_TRUE(o.accepted);
  EXPECT_TRUE(o.extended);
  EXPECT_EQ(o.state.ends_at_ms, kEnd - 1 + kWindow);
  EXPECT_EQ(o.state.extensions, 1);
}

TEST(SoftCloseTest, OnlyBidsInsideTheWindowExtend) {
  const LotRules r = Rules();
  // Exactly `window` before the end: now + window is the end already.
  BidOutcome at_edge = PlaceBid(r, InitialState(r), {1, 10000, kEnd - kWindow});
  ASSERT_TRUE(at_edge.accepted);
  EXPECT_FALSE(at_edge.extended);
  EXPECT_EQ(at_edge.state.ends_at_ms, kEnd);
  BidOutcome inside = PlaceBid(r, InitialState(r), {1, 10000, kEnd - kWindow + 1});
  EXPECT_TRUE(inside.extended);
  EXPECT_EQ(inside.state.ends_at_ms, kEnd + 1);
}

TEST(SoftCloseTest, ARejectedBidInTheWindowDoesNotExtend) {
  const LotRules r = Rules();
  LotState s = Accept(r, InitialState(r), 1, 30000);
  BidOutcome o = PlaceBid(r, s, {2, 10500, kEnd - 1000});
  EXPECT_FALSE(o.accepted);
  EXPECT_FALSE(o.extended);
  EXPECT_EQ(o.state.ends_at_ms, kEnd);
}

TEST(SoftCloseTest, ABidBelowTheLeadersMaximumInTheWindowExtends) {
  const LotRules r = Rules();
  LotState s = Accept(r, InitialState(r), 1, 90000);
  BidOutcome o = PlaceBid(r, s, {2, 11000, kEnd - 1000});
  ASSERT_TRUE(o.accepted);
  EXPECT_FALSE(o.leading);
  EXPECT_TRUE(o.extended);
  EXPECT_EQ(o.state.ends_at_ms, kEnd - 1000 + kWindow);
}

TEST(SoftCloseTest, ExtensionsStopAtTheCap) {
  LotRules r = Rules();
  r.max_extensions = 3;
  LotState s = InitialState(r);
  Fen max = 10000;
  for (int i = 0; i < 3; ++i) {
    const int64_t at = s.ends_at_ms - 1;
    BidOutcome o = PlaceBid(r, s, {1 + (i % 2), max, at});
    ASSERT_TRUE(o.accepted);
    EXPECT_TRUE(o.extended);
    EXPECT_EQ(o.state.ends_at_ms, at + kWindow);
    s = o.state;
    max += 5000;
  }
  EXPECT_EQ(s.extensions, 3);
  const int64_t end = s.ends_at_ms;
  BidOutcome o = PlaceBid(r, s, {2, 100000, end - 1});
  ASSERT_TRUE(o.accepted);
  EXPECT_FALSE(o.extended);
  EXPECT_EQ(o.state.ends_at_ms, end);
  EXPECT_EQ(PlaceBid(r, o.state, {1, 900000, end}).rejection, Rejection::kClosed);
}

// The same rules written the slow way: every bidder's best maximum and when
// it was reached; the leader is the highest, earliest on ties; the price
// follows from the top two.
struct Reference {
  struct Best {
    Fen max = 0;
    int64_t seq = 0;
  };
  std::map<int64_t, Best> best;
  int64_t seq = 0;

  void Add(int64_t who, Fen max) {
    ++seq;
    Best& b = best[who];
    if (max > b.max) {
      b = {max, seq};
    }
  }
  std::vector<std::pair<int64_t, Best>> Ranked() const {
    std::vector<std::pair<int64_t, Best>> v(best.begin(), best.end());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.second.max != b.second.max ? a.second.max > b.second.max : a.second.seq < b.second.seq;
    });
    return v;
  }
};

TEST(AuctionModelTest, RandomBiddingAgreesWithTheSlowRulesAndReplay) {
  std::mt19937_64 rng(20261203);
  for (int round = 0; round < 200; ++round) {
    LotRules r = Rules(10000, round % 3 == 0 ? std::optional<Fen>(60000) : std::nullopt);
    r.max_extensions = round % 5;
    LotState s = InitialState(r);
    Reference ref;
    std::vector<Bid> log;
    int64_t at = kStart;
    std::optional<Fen> last_price;
    for (int i = 0; i < 60; ++i) {
      at += static_cast<int64_t>(rng() % 120'000);
      const int64_t who = 1 + static_cast<int64_t>(rng() % 5);
      const Fen max = MinimumBid(r, s, who) + static_cast<Fen>(rng() % 4) * 1000 - (rng() % 4 == 0 ? 1 : 0);
      const Bid bid{who, max, at};
      BidOutcome o = PlaceBid(r, s, bid);
      if (!o.accepted) {
        EXPECT_EQ(o.state, s);
        continue;
      }
      ref.Add(who, max);
      log.push_back(bid);
      const auto ranked = ref.Ranked();
      EXPECT_EQ(o.state.leader_id, ranked[0].first);
      EXPECT_EQ(o.state.leader_max_fen, ranked[0].second.max);
      if (ranked.size() > 1) {
        EXPECT_EQ(o.state.runner_up_id, ranked[1].first);
        EXPECT_EQ(o.state.runner_up_max_fen, ranked[1].second.max);
      }
      Fen want = ranked.size() > 1 ? std::min(ranked[0].second.max,
                                              ranked[1].second.max + r.increments.StepAt(ranked[1].second.max))
                                   : r.start_price_fen;
      if (r.reserve_fen && want < *r.reserve_fen && ranked[0].second.max >= *r.reserve_fen) {
        want = *r.reserve_fen;
      }
      EXPECT_EQ(o.state.price_fen, want);
      // The price never falls; it rises unless the leader raised their own maximum.
      if (last_price) {
        EXPECT_GE(*o.state.price_fen, *last_price);
        if (s.leader_id != who) {
          EXPECT_GT(*o.state.price_fen, *last_price);
        }
      }
      EXPECT_LE(*o.state.price_fen, o.state.leader_max_fen);
      EXPECT_LE(o.state.extensions, r.max_extensions);
      last_price = o.state.price_fen;
      s = o.state;
    }
    auto replayed = Replay(r, log);
    ASSERT_TRUE(replayed.ok());
    EXPECT_EQ(*replayed, s);
  }
}

TEST(AuctionModelTest, ReplayRefusesALogTheRulesWouldNotAccept) {
  const LotRules r = Rules();
  auto bad = Replay(r, {{1, 30000, kStart}, {2, 10500, kStart + 1}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().detail, "auction.bid_too_low");
}

}  // namespace
}  // namespace carecity::auction
