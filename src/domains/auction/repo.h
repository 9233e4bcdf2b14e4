// SQL for the auction. Runs in the caller's transaction; checks no rules
// (the service decides under the lot's row lock and writes conditionally).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/auction/model.h"

namespace carecity::auction::repo {

// The new lot's id (status pending_approval, no bids).
int64_t InsertLot(db::Tx& tx, const Lot& lot);
std::optional<Lot> FindLot(db::Tx& tx, int64_t id);
std::optional<int64_t> LotIdByPublicId(db::Tx& tx, const std::string& public_id);
// Takes the lot's row lock for the rest of the write job and returns the
// lot as it is now.
std::optional<Lot> LockLot(db::Tx& tx, int64_t id);

struct LotFilter {
  std::optional<std::string> phase;  // upcoming | live | ended | pending_approval
  int64_t now_ms = 0;
  std::string before;                // cursor: the public id of the last lot seen ("" = from the first)
  int limit = 100;
};
// Lots of the phase in its order (upcoming by start, ended by end
// descending, others by end), after the cursor lot in that order.
std::vector<Lot> ListLots(db::Tx& tx, const LotFilter& f);
// Stores the lot's ordered photos (media::EncodePhotos).
void SetPhotos(db::Tx& tx, int64_t lot_id, const std::vector<media::Image>& photos);

// The lots `user_id` has an accepted bid on, with their highest accepted
// maximum there, the lot they bid on last first.
struct MyLot {
  Lot lot;
  Fen my_max_fen = 0;
};
std::vector<MyLot> LotsBidOn(db::Tx& tx, int64_t user_id, int limit);
// `user_id`'s highest accepted maximum on the lot; nullopt if they never bid.
std::optional<Fen> MyMaxOn(db::Tx& tx, int64_t lot_id, int64_t user_id);

// pending_approval -> approved by `by`; false if no longer pending.
bool Approve(db::Tx& tx, int64_t lot_id, int64_t by, int64_t now_ms);
// Writes a bid's new state, if the lot is still approved and its bid count
// is still `old_bid_count` (it is, under the lot lock: the guard makes a
// forgotten lock fail instead of losing a bid). False if not written.
bool UpdateBidding(db::Tx& tx, int64_t lot_id, int64_t old_bid_count, const LotState& s);
int64_t InsertBid(db::Tx& tx, const BidRecord& b);
std::optional<BidRecord> FindBid(db::Tx& tx, int64_t id);
// Accepted bids in the order accepted (seq), newest first when `newest_first`.
std::vector<BidRecord> AcceptedBids(db::Tx& tx, int64_t lot_id, bool newest_first, int limit);
// A user's bids with their lots, newest first.
std::vector<BidRecord> BidsOf(db::Tx& tx, int64_t user_id, int limit);

// Lots still approved whose end has passed.
std::vector<int64_t> DueLots(db::Tx& tx, int64_t now_ms, int limit);
// approved -> awaiting_payment for the leader, if still approved and ended.
bool CloseSold(db::Tx& tx, int64_t lot_id, int64_t buyer, Fen price, int64_t pay_by_ms, int64_t now_ms);
// approved -> unsold, if still approved and ended.
bool CloseUnsold(db::Tx& tx, int64_t lot_id, const std::string& reason, int64_t now_ms);
// awaiting_payment -> lapsed for lots past their payment deadline; their ids.
std::vector<int64_t> LapseUnpaid(db::Tx& tx, int64_t now_ms, int limit);
// offered -> unsold (offer_expired) past the offer's deadline; their ids.
std::vector<int64_t> ExpireOffers(db::Tx& tx, int64_t now_ms, int limit);
// Records the payment opened for the buyer (while awaiting payment).
bool SetPayment(db::Tx& tx, int64_t lot_id, int64_t payment_id);
// awaiting_payment or lapsed -> paid, for this lot's payment only.
bool MarkPaid(db::Tx& tx, int64_t lot_id, int64_t payment_id);
// lapsed -> offered to `user` at `price` until `expires_at_ms`.
bool Offer(db::Tx& tx, int64_t lot_id, int64_t user, Fen price, int64_t expires_at_ms);
// offered -> awaiting_payment for the offer's user, if not expired.
bool AcceptOffer(db::Tx& tx, int64_t lot_id, int64_t user, int64_t pay_by_ms, int64_t now_ms);
// offered -> unsold (offer_declined).
bool DeclineOffer(db::Tx& tx, int64_t lot_id, int64_t user, int64_t now_ms);

}  // namespace carecity::auction::repo
