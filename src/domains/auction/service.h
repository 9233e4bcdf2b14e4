// 公益拍卖: lots, proxy bidding with a soft close, the close, the winner's
// payment into the Care Fund and the runner-up's second-chance offer. The
// only place auction rules live; the bidding rules themselves are the pure
// functions of model.h.
//
// Every change to a lot's bidding state is one write job that takes the
// lot's row lock (repo::LockLot), reads the state from the row, asks
// model::PlaceBid, and writes the answer back with a conditional UPDATE on
// the bid count it read; so bids are serialised per lot on SQLite (single
// writer) and across servers on PostgreSQL, and the accepted bids' order is
// their `seq`. Closing, lapsing and offer expiry are conditional writes on
// the stage (`WHERE status = 'approved' AND ends_at_ms <= now`), so several
// servers running the periodic job close each lot once.
//
// Lots and bids leave the server by their public ids only; bidders are
// masked (张**) to everyone. A pending lot answers fund admins only
// (anyone else 404).
//
// Thread-safety: set_change_hook before serving; then every method is safe
// to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/auction/model.h"
#include "domains/fund/service.h"
#include "domains/payments/service.h"
#include "media/service.h"

namespace carecity::auction {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;
using accounts::Principal;

struct NewLot {
  std::string title;
  std::string description;
  std::string donor_name;
  std::optional<Fen> market_value_fen;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  Fen start_price_fen = 0;
  std::optional<Fen> reserve_fen;
  std::optional<int64_t> purpose_id;
  std::vector<std::string> photo_ids;  // the creator's unused images, in order (0..9)
};

// What a bid did. A refused bid (accepted false) is stored too, and is
// what an Idempotency-Key replay of it answers.
struct PlacedBid {
  BidRecord bid;
  Lot lot;
  bool accepted = false;
  std::string rejection;  // auction.bid_too_low | auction.closed | auction.not_started
  Fen min_fen = 0;
  bool leading = false;
};

// A lot the caller bid on, for "my bids": their highest accepted maximum
// and where they stand (leading | outbid while bidding; won | lost after).
struct MyLotBid {
  Lot lot;
  Fen my_max_fen = 0;
  std::string state;
  // While the lot awaits the caller's payment: the payment opened for it
  // (nullopt before `Pay` opened one, or once it closed).
  bool awaiting_payment = false;
  std::optional<payments::Payment> payment;
};

// A lot as one viewer asks for it: with their own highest accepted maximum
// there (nullopt for a guest or someone who never bid).
struct ViewedLot {
  Lot lot;
  std::optional<Fen> my_max_fen;
};

struct PayStart {
  payments::Payment payment;
  std::string pay_url;
};

// The public JSON of a lot: GET /api/v1/auction/lots/{id}'s "lot" and what
// the live channel pushes. Never the reserve amount, only whether it is met.
// The donor's name masked (the full name for fund admins in LotView).
boost::json::object LotJson(const Lot& lot, int64_t now_ms);
// LotJson without what no bid changes (description, description_html,
// photos): a live change message. A watcher has them from its opening state
// (Snapshot), and a change stays small on every bid — far below PostgreSQL's
// 8,000-byte NOTIFY payload whatever the description's length.
boost::json::object LotChangeJson(const Lot& lot, int64_t now_ms);
// The lot as `viewer` may see it: LotJson, and for fund admins, the buyer
// and the runner-up offered it, the stage after the close and its deadlines
// (the reserve amount and the donor's full name for fund admins only).
boost::json::object LotView(const Lot& lot, const std::optional<accounts::Principal>& viewer, int64_t now_ms);
// A bid in public (the bidder masked).
boost::json::object PublicBidJson(const BidRecord& b);

class AuctionService {
 public:
  // Called after each committed change to a lot's public state (a bid, an
  // extension, the close): its public id and Snapshot JSON. Set at wiring.
  using ChangeHook = std::function<void(const std::string& lot_public_id, const std::string& snapshot_json)>;

  // `config` must hold a valid increment table (App::Open checks it).
  // Photos are attached through `media` in the lot's own transaction.
  AuctionService(db::Store& store, payments::PaymentsService& payments, fund::FundService& fund,
                 const media::MediaService& media, const Clock& clock, const AuctionConfig& config);

  void set_change_hook(ChangeHook hook) { hook_ = std::move(hook); }

  // fund_admin. A lot starts pending_approval. Errors: forbidden,
  // invalid fields (400 naming the field), purpose_not_found, too_long
  // (description), and for photo_ids MediaService::ReplacePhotosInTx's
  // (too_many_photos, duplicate_photo, image_not_found, image_in_use).
  Task<Lot> CreateLot(const Principal& p, NewLot in, std::string ip);
  // A fund admin other than the creator (maker–checker). Errors: forbidden,
  // auction.lot_not_found, auction.self_approval, auction.not_pending.
  Task<Lot> ApproveLot(const Principal& p, std::string lot_id, std::string ip);
  // Approved lots by phase ("", upcoming, live, ended); pending_approval for
  // fund admins only (forbidden otherwise). A page of at most `limit` (1..100)
  // after the lot `before` (a public id; "" from the first). Errors:
  // invalid_value (status, before).
  Task<std::vector<Lot>> ListLots(std::optional<Principal> p, std::string phase, std::string before,
                                  int limit);
  // A lot; pending ones for fund admins only. Errors: auction.lot_not_found.
  Task<Lot> GetLot(std::optional<Principal> p, std::string lot_id);
  // GetLot with the signed-in viewer's own maximum, read in the same
  // transaction (the lot page shows "your maximum" and "outbid" after a reload).
  Task<ViewedLot> ViewLot(std::optional<Principal> p, std::string lot_id);
  // LotJson of an approved lot, serialised: what the live channel sends a
  // new watcher. Errors: auction.lot_not_found.
  Task<std::string> Snapshot(std::string lot_id);
  // Accepted bids, newest first (public history; bidders masked later).
  Task<std::vector<BidRecord>> PublicBids(std::string lot_id);

  // A signed-in bidder's maximum. Idempotent on (user, key). Errors:
  // auction.lot_not_found, auction.own_lot (the creator or approver, 403),
  // idempotency_key_reused, invalid max_fen; a refused bid is a PlacedBid
  // with accepted false.
  Task<PlacedBid> PlaceBid(const Principal& p, std::string lot_id, Fen max_fen, std::string idempotency_key);
  // The caller's bids, newest first.
  Task<std::vector<BidRecord>> MyBids(const Principal& p);
  // The lots the caller has an accepted bid on, the last bid on first.
  Task<std::vector<MyLotBid>> MyLots(const Principal& p);

  // The buyer's payment of a closed lot (opened, or the open one again).
  // Errors: auction.lot_not_found (anyone but the buyer), auction.not_payable
  // (not awaiting payment, or past the deadline), payments_unavailable.
  Task<PayStart> Pay(const Principal& p, std::string lot_id, std::string payer_ip);
  // fund_admin: a lapsed lot to its runner-up at their own last maximum.
  // Errors: auction.not_lapsed, auction.no_runner_up,
  // auction.runner_up_below_reserve, auction.payment_open (the winner's
  // payment may still complete).
  Task<Lot> OfferRunnerUp(const Principal& p, std::string lot_id, std::string ip);
  // The runner-up accepts (then pays like a winner) or declines (unsold).
  // Errors: auction.lot_not_found (anyone else), auction.offer_expired,
  // auction.no_offer.
  Task<Lot> AcceptOffer(const Principal& p, std::string lot_id);
  Task<Lot> DeclineOffer(const Principal& p, std::string lot_id);

  // Periodic (every server, every 30 s): closes ended lots, lapses unpaid
  // ones past their deadline and expires unanswered offers. Returns how
  // many lots changed. Safe to run on several servers at once.
  Task<int64_t> RunDue();

  // --- Inside a caller's write transaction (CreateLot and ApproveLot, the
  // demo seeder): the same checks and errors, without the role check.
  Result<Lot> CreateLotTx(db::Tx& tx, int64_t actor, const NewLot& in, const std::string& ip, int64_t now_ms);
  Result<Lot> ApproveLotTx(db::Tx& tx, int64_t actor, int64_t lot_id, const std::string& ip, int64_t now_ms);

  // Payments of purpose "auction_lot", in the confirming transaction.
  Status OnPaidTx(db::Tx& tx, const payments::Payment& payment, int64_t now_ms);

  const Clock& clock() const { return clock_; }

 private:
  // The offered runner-up's answer (AcceptOffer, DeclineOffer).
  Task<Lot> AnswerOffer(const Principal& p, std::string lot_id, bool accept);
  Result<Lot> VisibleLotTx(db::Tx& tx, const std::optional<Principal>& p, const std::string& lot_id);
  // Closes one due lot under its lock; true if this call closed it.
  Result<bool> CloseTx(db::Tx& tx, int64_t lot_id, int64_t now_ms);
  void Changed(const Lot& lot);
  boost::asio::awaitable<void> Publish(std::vector<int64_t> lot_ids);

  db::Store& store_;
  payments::PaymentsService& payments_;
  fund::FundService& fund_;
  const media::MediaService& media_;
  const Clock& clock_;
  AuctionConfig config_;
  IncrementTable increments_;
  ChangeHook hook_;
};

}  // namespace carecity::auction
