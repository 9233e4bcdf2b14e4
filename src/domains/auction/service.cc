#include "domains/auction/service.h"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "db/idempotency.h"
#include "domains/auction/repo.h"
#include "domains/audit/service.h"
#include "domains/notify/service.h"
#include "http/json.h"
#include "media/markdown.h"
#include "media/routes.h"

namespace carecity::auction {
namespace {

namespace json = boost::json;
using accounts::Role;

constexpr const char* kPurpose = "auction_lot";
// Bounds on amounts a lot or a bid may name: ¥10,000,000 (a sanity bound,
// far above any donated item; keeps sums far from int64 overflow).
constexpr Fen kMaxFen = 1'000'000'000;
constexpr int kDueBatch = 100;
constexpr int kPublicBidsLimit = 200;
constexpr int kMyBidsLimit = 200;
constexpr int kListLimit = 100;

Error LotNotFound() { return Error::NotFound("auction.lot_not_found"); }

void Audit(db::Tx& tx, std::optional<int64_t> actor, const std::string& action, const Lot& lot,
           const json::object& detail, const std::string& ip, int64_t now_ms) {
  audit::Record(tx, {actor, action, "auction_lot", lot.public_id, json::serialize(detail), ip}, now_ms);
}

void Notify(db::Tx& tx, int64_t user_id, const std::string& template_name, const Lot& lot, json::object params,
            int64_t now_ms) {
  params["lot_id"] = lot.public_id;
  params["title"] = lot.title;
  notify::Enqueue(tx, notify::Channel::kSite, std::to_string(user_id), user_id, template_name,
                  json::serialize(params), now_ms);
}

using http::Opt;

bool IsAdmin(const std::optional<Principal>& p) { return p && p->Has(Role::kFundAdmin); }

Status ValidateNewLot(const NewLot& in, int64_t now_ms) {
  if (in.starts_at_ms < 1) {
    return Error::Invalid("out_of_range", "starts_at_ms");
  }
  if (in.ends_at_ms <= in.starts_at_ms) {
    return Error::Invalid("invalid_time_range", "ends_at_ms");
  }
  if (in.ends_at_ms <= now_ms) {
    return Error::Invalid("in_the_past", "ends_at_ms");
  }
  if (in.ends_at_ms - in.starts_at_ms > 90 * kDayMs) {
    return Error::Invalid("out_of_range", "ends_at_ms");
  }
  if (in.start_price_fen < 1 || in.start_price_fen > kMaxFen) {
    return Error::Invalid("out_of_range", "start_price_fen");
  }
  if (in.reserve_fen && (*in.reserve_fen < in.start_price_fen || *in.reserve_fen > kMaxFen)) {
    return Error::Invalid("out_of_range", "reserve_fen");
  }
  if (in.market_value_fen && (*in.market_value_fen < 0 || *in.market_value_fen > kMaxFen)) {
    return Error::Invalid("out_of_range", "market_value_fen");
  }
  return Status();
}

PlacedBid FromRecord(const BidRecord& b, const Lot& lot) {
  PlacedBid out;
  out.bid = b;
  out.lot = lot;
  out.accepted = b.accepted;
  out.rejection = b.reject_reason.value_or("");
  out.min_fen = b.min_fen;
  out.leading = b.leading_after;
  return out;
}

}  // namespace

json::object LotChangeJson(const Lot& lot, int64_t now_ms) {
  json::array increments;
  for (const IncrementBand& b : lot.rules.increments.bands()) {
    increments.push_back(json::object{{"from_fen", b.from_fen}, {"step_fen", b.step_fen}});
  }
  const bool open = lot.status == "approved";
  return json::object{
      {"id", lot.public_id},
      {"title", lot.title},
      {"donor_name", MaskPersonName(lot.donor_name)},
      {"market_value_fen", Opt(lot.market_value_fen)},
      {"purpose_id", Opt(lot.purpose_id)},
      {"status", lot.Phase(now_ms)},
      {"starts_at_ms", lot.rules.starts_at_ms},
      {"ends_at_ms", lot.state.ends_at_ms},
      {"scheduled_end_ms", lot.rules.ends_at_ms},
      {"extensions", lot.state.extensions},
      {"max_extensions", lot.rules.max_extensions},
      {"extend_window_ms", lot.rules.extend_window_ms},
      {"start_price_fen", lot.rules.start_price_fen},
      {"price_fen", Opt(lot.state.price_fen)},
      {"leader", lot.state.leader_id ? json::value(MaskPersonName(lot.leader_name)) : json::value(nullptr)},
      {"bid_count", lot.state.bid_count},
      // What a bidder other than the leader must at least bid now.
      {"min_bid_fen", open ? json::value(MinimumBid(lot.rules, lot.state, 0)) : json::value(nullptr)},
      {"has_reserve", lot.rules.reserve_fen.has_value()},
      {"reserve_met", ReserveMet(lot.rules, lot.state)},
      {"increments", increments},
  };
}

json::object LotJson(const Lot& lot, int64_t now_ms) {
  json::object o = LotChangeJson(lot, now_ms);
  o["description"] = lot.description;
  o["description_html"] = media::RenderMarkdown(lot.description);
  o["photos"] = media::PhotosJson(lot.photos);
  return o;
}

// The lot as its viewer may see it: the public LotJson, and for fund admins,
// the buyer and the runner-up offered it, the stage after the close and its
// deadlines (the reserve amount for fund admins only).
json::object LotView(const Lot& lot, const std::optional<Principal>& p, int64_t now_ms) {
  json::object o = LotJson(lot, now_ms);
  const bool admin = IsAdmin(p);
  const bool buyer = p && lot.buyer_user_id == p->user_id;
  const bool offered = p && lot.offer_user_id == p->user_id;
  if (p) {
    o["leading"] = lot.status == "approved" && lot.state.leader_id == p->user_id;
  }
  if (admin || buyer || offered) {
    o["stage"] = lot.status;
    o["unsold_reason"] = Opt(lot.unsold_reason);
    o["sale_price_fen"] = Opt(lot.sale_price_fen);
    o["pay_by_ms"] = Opt(lot.pay_by_ms);
    o["you_are_buyer"] = buyer;
    o["offer_price_fen"] = Opt(lot.offer_price_fen);
    o["offer_expires_at_ms"] = Opt(lot.offer_expires_at_ms);
    o["you_are_offered"] = offered;
  }
  if (admin) {
    o["donor_name"] = lot.donor_name;  // the public sees it masked
    o["reserve_fen"] = Opt(lot.rules.reserve_fen);
    o["has_runner_up"] = lot.state.runner_up_id.has_value();
  }
  return o;
}

json::object PublicBidJson(const BidRecord& b) {
  return json::object{{"id", b.public_id},
                      {"bidder", MaskPersonName(b.bidder_name)},
                      {"price_fen", b.price_after_fen ? json::value(*b.price_after_fen) : json::value(nullptr)},
                      {"at_ms", b.at_ms},
                      {"seq", b.seq ? json::value(*b.seq) : json::value(nullptr)}};
}

AuctionService::AuctionService(db::Store& store, payments::PaymentsService& payments, fund::FundService& fund,
                               const media::MediaService& media, const Clock& clock, const AuctionConfig& config)
    : store_(store),
      payments_(payments),
      fund_(fund),
      media_(media),
      clock_(clock),
      config_(config),
      increments_(IncrementTable::Parse(config.increments).ok() ? *IncrementTable::Parse(config.increments)
                                                                : IncrementTable::Default()) {
  payments::PaymentHandlers h;
  h.paid = [this](db::Tx& tx, const payments::Payment& p, int64_t now_ms) { return OnPaidTx(tx, p, now_ms); };
  h.closed = [](db::Tx&, const payments::Payment&, int64_t) { return Status(); };  // the buyer may pay again
  payments_.Handle(kPurpose, std::move(h));
}

void AuctionService::Changed(const Lot& lot) {
  if (!hook_) {
    return;
  }
  const std::string change = json::serialize(json::object{{"lot", LotChangeJson(lot, clock_.NowMs())}});
  hook_(lot.public_id, change);
}

boost::asio::awaitable<void> AuctionService::Publish(std::vector<int64_t> lot_ids) {
  if (!hook_ || lot_ids.empty()) {
    co_return;
  }
  auto lots = co_await db::ReadTx(store_, [&lot_ids](db::Tx& tx) -> Result<std::vector<Lot>> {
    std::vector<Lot> out;
    for (int64_t id : lot_ids) {
      if (auto l = repo::FindLot(tx, id)) {
        out.push_back(*l);
      }
    }
    return out;
  });
  if (lots.ok()) {
    for (const Lot& l : *lots) {
      Changed(l);
    }
  }
}

// ---- Lots

Task<Lot> AuctionService::CreateLot(const Principal& p, NewLot in, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return CreateLotTx(tx, actor, in, ip, clock_.NowMs()); });
}

Result<Lot> AuctionService::CreateLotTx(db::Tx& tx, int64_t actor, const NewLot& in, const std::string& ip,
                                        int64_t now_ms) {
  CC_TRY(ValidateNewLot(in, now_ms));
  CC_TRY(media::CheckMarkdown(in.description, "description"));
  if (in.purpose_id) {
    const auto purpose = fund_.FindPurposeTx(tx, *in.purpose_id);
    if (!purpose || !purpose->active) {
      return Error{ErrorCode::kNotFound, "purpose_not_found", "purpose_id", {}};
    }
  }
  Lot l;
  l.public_id = NewPublicId();
  l.title = in.title;
  l.description = in.description;
  l.donor_name = in.donor_name;
  l.market_value_fen = in.market_value_fen;
  l.purpose_id = in.purpose_id;
  l.rules.start_price_fen = in.start_price_fen;
  l.rules.reserve_fen = in.reserve_fen;
  l.rules.starts_at_ms = in.starts_at_ms;
  l.rules.ends_at_ms = in.ends_at_ms;
  l.rules.extend_window_ms = config_.extend_minutes * kMinuteMs;
  l.rules.max_extensions = config_.max_extensions;
  l.rules.increments = increments_;
  l.increments_text = config_.increments;
  l.created_by = actor;
  l.created_at_ms = now_ms;
  l.id = repo::InsertLot(tx, l);
  if (!in.photo_ids.empty()) {
    const std::string ref = "auction_lot:" + std::to_string(l.id);
    auto photos = media_.ReplacePhotosInTx(tx, actor, {}, in.photo_ids, ref, "photo_ids");
    CC_TRY(photos);
    repo::SetPhotos(tx, l.id, *photos);
  }
  Audit(tx, actor, "auction.lot.created", l, {{"title", l.title}, {"start_price_fen", l.rules.start_price_fen}}, ip,
        now_ms);
  return *repo::FindLot(tx, l.id);
}

Task<Lot> AuctionService::ApproveLot(const Principal& p, std::string lot_id, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (!IsPublicId(lot_id)) {
    co_return LotNotFound();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Lot> {
    const auto id = repo::LotIdByPublicId(tx, lot_id);
    if (!id) {
      return LotNotFound();
    }
    return ApproveLotTx(tx, actor, *id, ip, clock_.NowMs());
  });
}

Result<Lot> AuctionService::ApproveLotTx(db::Tx& tx, int64_t actor, int64_t lot_id, const std::string& ip,
                                         int64_t now_ms) {
  if (!repo::Approve(tx, lot_id, actor, now_ms)) {
    const auto lot = repo::FindLot(tx, lot_id);
    if (!lot) {
      return LotNotFound();
    }
    if (lot->status == "pending_approval" && lot->created_by == actor) {
      return Error::Conflict("auction.self_approval");
    }
    return Error::Conflict("auction.not_pending");
  }
  auto lot = repo::FindLot(tx, lot_id);
  Audit(tx, actor, "auction.lot.approved", *lot, {{"title", lot->title}}, ip, now_ms);
  return *lot;
}

Result<Lot> AuctionService::VisibleLotTx(db::Tx& tx, const std::optional<Principal>& p, const std::string& lot_id) {
  if (!IsPublicId(lot_id)) {
    return LotNotFound();
  }
  const auto id = repo::LotIdByPublicId(tx, lot_id);
  if (!id) {
    return LotNotFound();
  }
  auto lot = repo::FindLot(tx, *id);
  if (!lot || (lot->status == "pending_approval" && !IsAdmin(p))) {
    return LotNotFound();
  }
  return *lot;
}

Task<std::vector<Lot>> AuctionService::ListLots(std::optional<Principal> p, std::string phase, std::string before,
                                                int limit) {
  if (!phase.empty() && phase != "upcoming" && phase != "live" && phase != "ended" && phase != "pending_approval") {
    co_return Error::Invalid("invalid_value", "status");
  }
  if (!before.empty() && !IsPublicId(before)) {
    co_return Error::Invalid("invalid_value", "before");
  }
  if (phase == "pending_approval" && !IsAdmin(p)) {
    co_return Error::Forbidden();
  }
  repo::LotFilter f;
  if (!phase.empty()) {
    f.phase = phase;
  }
  f.now_ms = clock_.NowMs();
  f.before = std::move(before);
  f.limit = std::clamp(limit, 1, kListLimit);
  co_return co_await db::ReadTx(store_, [&f](db::Tx& tx) -> Result<std::vector<Lot>> { return repo::ListLots(tx, f); });
}

Task<Lot> AuctionService::GetLot(std::optional<Principal> p, std::string lot_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) { return VisibleLotTx(tx, p, lot_id); });
}

Task<ViewedLot> AuctionService::ViewLot(std::optional<Principal> p, std::string lot_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<ViewedLot> {
    CC_ASSIGN_OR_RETURN(Lot lot, VisibleLotTx(tx, p, lot_id));
    ViewedLot v{std::move(lot), std::nullopt};
    if (p) {
      v.my_max_fen = repo::MyMaxOn(tx, v.lot.id, p->user_id);
    }
    return v;
  });
}

Task<std::string> AuctionService::Snapshot(std::string lot_id) {
  std::optional<Principal> nobody;
  auto lot = co_await GetLot(nobody, std::move(lot_id));
  CC_CO_TRY(lot);
  co_return json::serialize(json::object{{"lot", LotJson(*lot, clock_.NowMs())}});
}

Task<std::vector<BidRecord>> AuctionService::PublicBids(std::string lot_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<BidRecord>> {
    std::optional<Principal> nobody;
    auto lot = VisibleLotTx(tx, nobody, lot_id);
    CC_TRY(lot);
    return repo::AcceptedBids(tx, lot->id, true, kPublicBidsLimit);
  });
}

// ---- Bids

Task<PlacedBid> AuctionService::PlaceBid(const Principal& p, std::string lot_id, Fen max_fen,
                                         std::string idempotency_key) {
  if (!IsPublicId(lot_id)) {
    co_return LotNotFound();
  }
  if (max_fen < 1 || max_fen > kMaxFen) {
    co_return Error::Invalid("out_of_range", "max_fen");
  }
  const int64_t user = p.user_id;
  const std::string bidder_name = p.display_name;
  const std::string scope = "auction_bid:user:" + std::to_string(user);
  const std::string request_hash = Sha256Hex(fmt::format("{}|{}", lot_id, max_fen));
  auto placed = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<PlacedBid> {
    const int64_t now = clock_.NowMs();
    const db::IdempotencyClaim claim = db::ClaimIdempotencyKey(tx, scope, idempotency_key, request_hash, now);
    if (claim.kind == db::IdempotencyClaim::Kind::kMismatch) {
      return Error::Conflict("idempotency_key_reused");
    }
    if (claim.kind == db::IdempotencyClaim::Kind::kReplay) {
      const auto bid = repo::FindBid(tx, claim.ref_id);
      const auto lot = bid ? repo::FindLot(tx, bid->lot_id) : std::nullopt;
      if (!bid || !lot) {
        return Error::Internal("idempotency key points at a missing bid");
      }
      return FromRecord(*bid, *lot);
    }
    const auto id = repo::LotIdByPublicId(tx, lot_id);
    if (!id) {
      return LotNotFound();
    }
    // Everything from here on is decided on the row as it is under its lock.
    auto lot = repo::LockLot(tx, *id);
    if (!lot || lot->status == "pending_approval") {
      return LotNotFound();
    }
    // The bid's time is read under the lock, so on one clock the accepted
    // bids' times ascend in the order they were accepted.
    const int64_t at = clock_.NowMs();
    if (user == lot->created_by || lot->approved_by == user) {
      return Error{ErrorCode::kForbidden, "auction.own_lot", {}, {}};
    }
    BidOutcome o;
    if (lot->status == "approved") {
      o = auction::PlaceBid(lot->rules, lot->state, {user, max_fen, at});
    } else {
      o.state = lot->state;
      o.rejection = Rejection::kClosed;
      o.min_fen = MinimumBid(lot->rules, lot->state, user);
    }
    BidRecord b;
    b.public_id = NewPublicId();
    b.lot_id = lot->id;
    b.lot_public_id = lot->public_id;
    b.lot_title = lot->title;
    b.user_id = user;
    b.bidder_name = bidder_name;
    b.max_fen = max_fen;
    b.at_ms = at;
    b.accepted = o.accepted;
    b.min_fen = o.min_fen;
    b.leading_after = o.leading;
    b.extended = o.extended;
    if (o.accepted) {
      b.seq = o.state.bid_count;
      b.price_after_fen = o.state.price_fen;
      if (!repo::UpdateBidding(tx, lot->id, lot->state.bid_count, o.state)) {
        return Error::Busy();  // cannot happen under the lock; never lose a bid silently
      }
    } else {
      b.reject_reason = RejectionKey(o.rejection);
    }
    b.id = repo::InsertBid(tx, b);
    db::SetIdempotencyRef(tx, scope, idempotency_key, b.id);
    Lot after = *lot;
    after.state = o.state;
    if (o.accepted && o.state.leader_id == user) {
      after.leader_name = bidder_name;
    }
    if (o.outbid_id) {
      Notify(tx, *o.outbid_id, "auction_outbid", after, {{"price_fen", *o.state.price_fen}}, at);
    }
    return FromRecord(b, after);
  });
  if (placed.ok() && placed->accepted) {
    Changed(placed->lot);
  }
  co_return placed;
}

Task<std::vector<BidRecord>> AuctionService::MyBids(const Principal& p) {
  const int64_t user = p.user_id;
  co_return co_await db::ReadTx(store_, [user](db::Tx& tx) -> Result<std::vector<BidRecord>> {
    return repo::BidsOf(tx, user, kMyBidsLimit);
  });
}

Task<std::vector<MyLotBid>> AuctionService::MyLots(const Principal& p) {
  const int64_t user = p.user_id;
  co_return co_await db::ReadTx(store_, [this, user](db::Tx& tx) -> Result<std::vector<MyLotBid>> {
    std::vector<MyLotBid> out;
    for (repo::MyLot& m : repo::LotsBidOn(tx, user, kMyBidsLimit)) {
      MyLotBid b;
      b.my_max_fen = m.my_max_fen;
      const Lot& l = m.lot;
      if (l.status == "approved") {
        b.state = l.state.leader_id == user ? "leading" : "outbid";
      } else if (l.buyer_user_id == user && (l.status == "awaiting_payment" || l.status == "paid")) {
        b.state = "won";
      } else {
        b.state = "lost";
      }
      b.awaiting_payment = l.buyer_user_id == user && l.status == "awaiting_payment";
      if (b.awaiting_payment && l.payment_id) {
        // Only the few lots awaiting this bidder's payment look one up.
        auto payment = payments_.FindTx(tx, *l.payment_id);
        if (payment && payment->status == "created") {
          b.payment = std::move(payment);
        }
      }
      b.lot = std::move(m.lot);
      out.push_back(std::move(b));
    }
    return out;
  });
}

// ---- The close and after

Result<bool> AuctionService::CloseTx(db::Tx& tx, int64_t lot_id, int64_t now_ms) {
  const auto lot = repo::LockLot(tx, lot_id);
  if (!lot || lot->status != "approved" || lot->state.ends_at_ms > now_ms) {
    return false;  // closed by another server, or extended meanwhile
  }
  const CloseResult result = Close(lot->rules, lot->state);
  bool closed = false;
  std::string outcome;
  if (result == CloseResult::kSold) {
    const int64_t pay_by = now_ms + config_.pay_within_hours * kHourMs;
    closed = repo::CloseSold(tx, lot->id, *lot->state.leader_id, *lot->state.price_fen, pay_by, now_ms);
    if (closed) {
      Notify(tx, *lot->state.leader_id, "auction_won", *lot,
             {{"price_fen", *lot->state.price_fen}, {"pay_by_ms", pay_by}}, now_ms);
    }
    outcome = "sold";
  } else {
    outcome = result == CloseResult::kNoBids ? "no_bids" : "reserve_not_met";
    closed = repo::CloseUnsold(tx, lot->id, outcome, now_ms);
    if (closed && lot->state.leader_id) {
      Notify(tx, *lot->state.leader_id, "auction_reserve_not_met", *lot, {}, now_ms);
    }
  }
  if (closed) {
    Audit(tx, std::nullopt, "auction.lot.closed", *lot,
          {{"outcome", outcome}, {"bid_count", lot->state.bid_count},
           {"price_fen", lot->state.price_fen ? json::value(*lot->state.price_fen) : json::value(nullptr)}},
          "", now_ms);
  }
  return closed;
}

Task<int64_t> AuctionService::RunDue() {
  const int64_t now = clock_.NowMs();
  auto due = co_await db::ReadTx(store_, [now](db::Tx& tx) -> Result<std::vector<int64_t>> {
    return repo::DueLots(tx, now, kDueBatch);
  });
  CC_CO_TRY(due);
  // One lot that fails to close is logged and left for the next run; the
  // others still close, lapse and reach their watchers.
  std::vector<int64_t> changed;
  for (int64_t id : *due) {
    auto closed = co_await db::WriteTx(store_, [this, id, now](db::Tx& tx) { return CloseTx(tx, id, now); });
    if (!closed.ok()) {
      spdlog::error("auction: closing lot {} failed: {}", id, closed.error().key);
    } else if (*closed) {
      changed.push_back(id);
    }
  }
  auto lapsed = co_await db::WriteTx(store_, [this, now](db::Tx& tx) -> Result<std::vector<int64_t>> {
    std::vector<int64_t> ids = repo::LapseUnpaid(tx, now, kDueBatch);
    for (int64_t id : ids) {
      const auto lot = repo::FindLot(tx, id);
      Audit(tx, std::nullopt, "auction.lot.lapsed", *lot, {{"buyer_user_id", *lot->buyer_user_id}}, "", now);
    }
    std::vector<int64_t> expired = repo::ExpireOffers(tx, now, kDueBatch);
    for (int64_t id : expired) {
      const auto lot = repo::FindLot(tx, id);
      Audit(tx, std::nullopt, "auction.offer.expired", *lot, {{"offer_user_id", *lot->offer_user_id}}, "", now);
    }
    ids.insert(ids.end(), expired.begin(), expired.end());
    return ids;
  });
  if (lapsed.ok()) {
    changed.insert(changed.end(), lapsed->begin(), lapsed->end());
  } else {
    spdlog::error("auction: lapsing unpaid lots failed: {}", lapsed.error().key);
  }
  const auto n = static_cast<int64_t>(changed.size());
  co_await Publish(std::move(changed));
  co_return n;
}

Task<PayStart> AuctionService::Pay(const Principal& p, std::string lot_id, std::string payer_ip) {
  if (!IsPublicId(lot_id)) {
    co_return LotNotFound();
  }
  const int64_t user = p.user_id;
  auto payment = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<payments::Payment> {
    const int64_t now = clock_.NowMs();
    const auto id = repo::LotIdByPublicId(tx, lot_id);
    const auto lot = id ? repo::LockLot(tx, *id) : std::nullopt;
    if (!lot || lot->buyer_user_id != user) {
      return LotNotFound();
    }
    if (lot->status != "awaiting_payment" || !lot->pay_by_ms || now >= *lot->pay_by_ms) {
      return Error::Conflict("auction.not_payable");
    }
    if (lot->payment_id) {
      auto open = payments_.FindTx(tx, *lot->payment_id);
      if (open && open->status == "created") {
        return *open;  // the same order again
      }
    }
    payments::NewPayment np;
    np.purpose = kPurpose;
    np.ref_id = lot->id;
    np.amount_fen = *lot->sale_price_fen;
    np.description = "公益拍卖：" + lot->title;
    np.return_url = "/auction/lots/" + lot->public_id;
    np.payer_user_id = user;
    auto created = payments_.CreateTx(tx, np, now);
    CC_TRY(created);
    if (!repo::SetPayment(tx, lot->id, created->id)) {
      return Error::Conflict("auction.not_payable");
    }
    return *created;
  });
  CC_CO_TRY(payment);
  const payments::Payment opened = *payment;
  auto url = co_await payments_.Open(opened, payer_ip);
  CC_CO_TRY(url);
  co_return PayStart{opened, *url};
}

Status AuctionService::OnPaidTx(db::Tx& tx, const payments::Payment& payment, int64_t now_ms) {
  const auto lot = repo::LockLot(tx, payment.ref_id);
  if (!lot) {
    return Error::Internal("auction payment for a missing lot");
  }
  if (!repo::MarkPaid(tx, lot->id, payment.id)) {
    // Pay refuses to open a payment once the lot has moved on and the
    // runner-up is offered it only once the winner's payment is closed, so
    // this is a bug: refuse the booking (reconciliation retries and logs).
    return Error::Internal("auction payment for a lot that is not awaiting it");
  }
  // Every yuan into the Care Fund: the price less the donor's stated market
  // value is the gift on the buyer's 捐赠票据 (the whole price when none was
  // stated); the market value stands beside it as the goods' value.
  const Fen price = payment.amount_fen;
  fund::Sale sale;
  sale.ref_type = kPurpose;
  sale.ref_id = lot->id;
  sale.buyer_user_id = payment.payer_user_id;
  sale.buyer_name = lot->buyer_name;
  sale.purpose_id = lot->purpose_id;
  sale.fund_fen = price;
  sale.receipt_fen = lot->market_value_fen ? std::max<Fen>(0, price - *lot->market_value_fen) : price;
  sale.goods_value_fen = lot->market_value_fen.value_or(0);
  sale.memo = "公益拍卖";
  auto booked = fund_.BookSaleTx(tx, payment, sale, now_ms);
  CC_TRY(booked);
  Audit(tx, payment.payer_user_id, "auction.lot.paid", *lot,
        {{"amount_fen", payment.amount_fen}, {"payment", payment.public_id}, {"sale_id", booked->sale_id}}, "",
        now_ms);
  return Status();
}

Task<Lot> AuctionService::OfferRunnerUp(const Principal& p, std::string lot_id, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (!IsPublicId(lot_id)) {
    co_return LotNotFound();
  }
  const int64_t actor = p.user_id;
  auto offered = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Lot> {
    const int64_t now = clock_.NowMs();
    const auto id = repo::LotIdByPublicId(tx, lot_id);
    const auto lot = id ? repo::LockLot(tx, *id) : std::nullopt;
    if (!lot) {
      return LotNotFound();
    }
    if (lot->status != "lapsed") {
      return Error::Conflict("auction.not_lapsed");
    }
    if (!lot->state.runner_up_id || lot->state.runner_up_id == lot->buyer_user_id) {
      return Error::Conflict("auction.no_runner_up");
    }
    if (lot->rules.reserve_fen && lot->state.runner_up_max_fen < *lot->rules.reserve_fen) {
      return Error::Conflict("auction.runner_up_below_reserve");
    }
    if (lot->payment_id) {
      const auto winner_payment = payments_.FindTx(tx, *lot->payment_id);
      if (winner_payment && winner_payment->status == "created") {
        return Error::Conflict("auction.payment_open");
      }
    }
    const int64_t expires = now + config_.offer_within_hours * kHourMs;
    if (!repo::Offer(tx, lot->id, *lot->state.runner_up_id, lot->state.runner_up_max_fen, expires)) {
      return Error::Conflict("auction.not_lapsed");
    }
    Notify(tx, *lot->state.runner_up_id, "auction_second_chance", *lot,
           {{"price_fen", lot->state.runner_up_max_fen}, {"expires_at_ms", expires}}, now);
    Audit(tx, actor, "auction.offer.made", *lot,
          {{"offer_user_id", *lot->state.runner_up_id}, {"price_fen", lot->state.runner_up_max_fen}}, ip, now);
    return *repo::FindLot(tx, lot->id);
  });
  CC_CO_TRY(offered);
  Changed(*offered);
  co_return offered;
}

Task<Lot> AuctionService::AnswerOffer(const Principal& p, std::string lot_id, bool accept) {
  if (!IsPublicId(lot_id)) {
    co_return LotNotFound();
  }
  const int64_t user = p.user_id;
  auto answered = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Lot> {
    const int64_t now = clock_.NowMs();
    const auto id = repo::LotIdByPublicId(tx, lot_id);
    const auto lot = id ? repo::FindLot(tx, *id) : std::nullopt;
    if (!lot || lot->offer_user_id != user) {
      return LotNotFound();
    }
    const bool done = accept ? repo::AcceptOffer(tx, lot->id, user, now + config_.pay_within_hours * kHourMs, now)
                             : repo::DeclineOffer(tx, lot->id, user, now);
    if (!done) {
      return Error::Conflict(lot->status == "offered" ? "auction.offer_expired" : "auction.no_offer");
    }
    Audit(tx, user, accept ? "auction.offer.accepted" : "auction.offer.declined", *lot,
          {{"price_fen", *lot->offer_price_fen}}, "", now);
    return *repo::FindLot(tx, lot->id);
  });
  CC_CO_TRY(answered);
  Changed(*answered);
  co_return answered;
}

Task<Lot> AuctionService::AcceptOffer(const Principal& p, std::string lot_id) {
  return AnswerOffer(p, std::move(lot_id), true);
}

Task<Lot> AuctionService::DeclineOffer(const Principal& p, std::string lot_id) {
  return AnswerOffer(p, std::move(lot_id), false);
}

}  // namespace carecity::auction
