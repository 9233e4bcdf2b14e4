// 公益拍卖: the bidding rules as pure functions (no I/O). The service locks a
// lot's row, reads its LotState, asks PlaceBid what one bid does, and writes
// the answer back in the same transaction; Replay applies a log of accepted
// bids from the start, so a test can check that the database's final state
// is exactly what these rules give for the order in which it accepted them.
//
// The rules (docs/architecture.md, "Bidding rules"):
// - Increments by price band (IncrementTable): a price at or above a band's
//   `from_fen` steps by that band's `step_fen`.
// - Proxy bidding: a bidder gives a maximum; the visible price is the
//   second-highest maximum plus one increment, capped at the leader's
//   maximum; equal maxima: the earlier bid leads. The first bid's price is
//   the start price.
// - A non-leader's bid must be at least price + increment (the first bid:
//   at least the start price). Below the leader's maximum it is accepted
//   and raises the price (to the bid plus one increment, capped at the
//   leader's maximum), so it extends the end like any raising bid.
// - The price is always VisiblePrice: a function of the two highest maxima
//   alone, never of the order of the bids that led there. So the leader
//   raising their own maximum (it must exceed the current one) does not
//   move the price (eBay's rule) unless the cap was binding (the runner-up
//   was within one increment of the old maximum: the price rises to
//   runner-up + increment, capped at the new maximum) or the reserve
//   becomes met (the price rises to the reserve).
// - Reserve: the price is never below the reserve while the leader's
//   maximum meets it (a first bid at or above the reserve opens at the
//   reserve, not the start price), so "reserve met" is exactly
//   "price >= reserve".
// - Soft close: an accepted bid that raises the price with less than the
//   window left (ends_at - window < at < ends_at) moves the end to at +
//   window, at most max_extensions times. Rejected bids and a leader's
//   raise that leaves the price where it was never extend.
// - A bid at or after the end is refused (closed), before the start too
//   (not_started): a bid at end - 1 ms counts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "media/model.h"

namespace carecity::auction {

using Fen = int64_t;

// Price bands, ascending by from_fen; the first starts at 0.
struct IncrementBand {
  Fen from_fen = 0;
  Fen step_fen = 0;
};

class IncrementTable {
 public:
  // ¥10 below ¥200, ¥20 below ¥1,000, ¥50 below ¥5,000, ¥100 from then on.
  static IncrementTable Default();
  // Bands must start at 0, ascend strictly, and have positive steps.
  // Errors: invalid_value (field "increments").
  static Result<IncrementTable> Make(std::vector<IncrementBand> bands);
  // "0:1000,20000:2000,100000:5000,500000:10000" (from_fen:step_fen, ...),
  // as written in [auction] increments.
  static Result<IncrementTable> Parse(const std::string& text);

  // The step at `price_fen` (the band containing it).
  Fen StepAt(Fen price_fen) const;
  const std::vector<IncrementBand>& bands() const { return bands_; }

 private:
  std::vector<IncrementBand> bands_;
};

// What a lot fixes when it is created.
struct LotRules {
  Fen start_price_fen = 0;
  std::optional<Fen> reserve_fen;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;          // before any extension
  int64_t extend_window_ms = 5 * 60 * 1000;
  int64_t max_extensions = 12;
  IncrementTable increments = IncrementTable::Default();
};

// The lot's bidding state: what its row holds between bids.
struct LotState {
  std::optional<Fen> price_fen;          // nullopt before the first accepted bid
  std::optional<int64_t> leader_id;
  Fen leader_max_fen = 0;
  std::optional<int64_t> runner_up_id;   // the bidder with the second-highest maximum
  Fen runner_up_max_fen = 0;
  int64_t bid_count = 0;                 // accepted bids
  int64_t ends_at_ms = 0;                // after extensions
  int64_t extensions = 0;

  bool operator==(const LotState&) const = default;
};

// The state before any bid.
LotState InitialState(const LotRules& rules);

struct Bid {
  int64_t bidder_id = 0;
  Fen max_fen = 0;
  int64_t at_ms = 0;
};

enum class Rejection { kNone, kNotStarted, kClosed, kTooLow };

// Stable keys: "auction.not_started", "auction.closed", "auction.bid_too_low".
std::string RejectionKey(Rejection r);

struct BidOutcome {
  bool accepted = false;
  Rejection rejection = Rejection::kNone;
  Fen min_fen = 0;           // the lowest maximum this bidder could have given
  LotState state;            // after the bid (unchanged when rejected)
  bool leading = false;      // the bidder leads after it
  bool raised_price = false;
  bool extended = false;
  std::optional<int64_t> outbid_id;  // the previous leader, if they lost the lead
};

// The price a state shows: the start price with one bidder, else the
// runner-up's maximum plus one increment, capped at the leader's maximum;
// then raised to the reserve if the leader's maximum meets it.
Fen VisiblePrice(const LotRules& rules, const LotState& state);

// The lowest maximum `bidder_id` may bid now: the start price for the first
// bid, one fen above their own maximum for the leader, else price plus one
// increment.
Fen MinimumBid(const LotRules& rules, const LotState& state, int64_t bidder_id);

// What `bid` does to a lot in `state`. Pure.
BidOutcome PlaceBid(const LotRules& rules, const LotState& state, const Bid& bid);

// The state after applying `accepted` (bids the rules accepted, in the order
// they were accepted) from the start. Error invalid_value if one of them
// would be rejected: the log did not come from these rules.
Result<LotState> Replay(const LotRules& rules, const std::vector<Bid>& accepted);

// The outcome at the close.
enum class CloseResult { kSold, kNoBids, kReserveNotMet };
CloseResult Close(const LotRules& rules, const LotState& state);

// Whether the reserve (if any) is met at this state.
bool ReserveMet(const LotRules& rules, const LotState& state);

// A lot as stored (auction_lots). `status` is the stored stage:
// pending_approval | approved | awaiting_payment | paid | lapsed | offered |
// unsold; bidding happens while approved, by time.
struct Lot {
  int64_t id = 0;             // internal; never leaves the server
  std::string public_id;
  std::string title;
  std::string description;   // Markdown
  std::vector<media::Image> photos;  // in order (ids and sizes only)
  std::string donor_name;
  std::optional<Fen> market_value_fen;
  std::optional<int64_t> purpose_id;
  LotRules rules;
  LotState state;
  std::string increments_text;
  std::string status;
  std::string leader_name;    // display name of the leader (masked before it leaves)
  std::optional<int64_t> closed_at_ms;
  std::optional<std::string> unsold_reason;
  std::optional<int64_t> buyer_user_id;
  std::string buyer_name;     // display name of the buyer (on their receipt)
  std::optional<Fen> sale_price_fen;
  std::optional<int64_t> pay_by_ms;
  std::optional<int64_t> payment_id;
  std::optional<int64_t> offer_user_id;
  std::optional<Fen> offer_price_fen;
  std::optional<int64_t> offer_expires_at_ms;
  int64_t created_by = 0;
  std::optional<int64_t> approved_by;
  std::optional<int64_t> approved_at_ms;
  int64_t created_at_ms = 0;

  // What the public sees: pending_approval, upcoming, live, ended (past
  // its end, not yet closed), sold, unsold.
  std::string Phase(int64_t now_ms) const;
};

// One bid as stored (auction_bids): every bid, accepted or not.
struct BidRecord {
  int64_t id = 0;
  std::string public_id;
  int64_t lot_id = 0;
  std::string lot_public_id;
  std::string lot_title;
  int64_t user_id = 0;
  std::string bidder_name;     // display name (masked before it leaves)
  Fen max_fen = 0;
  int64_t at_ms = 0;
  bool accepted = false;
  std::optional<std::string> reject_reason;
  Fen min_fen = 0;
  std::optional<int64_t> seq;
  std::optional<Fen> price_after_fen;
  bool leading_after = false;
  bool extended = false;
};

}  // namespace carecity::auction
