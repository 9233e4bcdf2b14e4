#include "domains/auction/repo.h"

#include <fmt/format.h>

#include <string>

#include "db/lock.h"

namespace carecity::auction::repo {
namespace {

constexpr const char* kLotColumns =
    "l.id, l.public_id, l.title, l.description, l.donor_name, l.market_value_fen, l.purpose_id, l.starts_at_ms, "
    "l.scheduled_end_ms, l.ends_at_ms, l.start_price_fen, l.reserve_fen, l.increments, l.extend_window_ms, "
    "l.max_extensions, l.extensions, l.status, l.price_fen, l.leader_user_id, l.leader_max_fen, "
    "COALESCE(u.display_name, ''), l.runner_up_user_id, l.runner_up_max_fen, l.bid_count, l.closed_at_ms, "
    "l.unsold_reason, l.buyer_user_id, l.sale_price_fen, l.pay_by_ms, l.payment_id, l.offer_user_id, "
    "l.offer_price_fen, l.offer_expires_at_ms, l.created_by, l.approved_by, l.approved_at_ms, l.created_at_ms, COALESCE(buyer.display_name, ''), l.photos";
constexpr const char* kLotJoins =
    " LEFT JOIN users u ON u.id = l.leader_user_id LEFT JOIN users buyer ON buyer.id = l.buyer_user_id";
const std::string kLotFrom = std::string(" FROM auction_lots l") + kLotJoins;

Lot ReadLot(const db::Row& r) {
  Lot l;
  l.id = r.Int(0);
  l.public_id = r.Text(1);
  l.title = r.Text(2);
  l.description = r.Text(3);
  l.donor_name = r.Text(4);
  l.market_value_fen = r.OptInt(5);
  l.purpose_id = r.OptInt(6);
  l.rules.starts_at_ms = r.Int(7);
  l.rules.ends_at_ms = r.Int(8);
  l.state.ends_at_ms = r.Int(9);
  l.rules.start_price_fen = r.Int(10);
  l.rules.reserve_fen = r.OptInt(11);
  l.increments_text = r.Text(12);
  // The table was valid when the lot was created (the service parsed it).
  if (auto t = IncrementTable::Parse(l.increments_text); t.ok()) {
    l.rules.increments = *t;
  }
  l.rules.extend_window_ms = r.Int(13);
  l.rules.max_extensions = r.Int(14);
  l.state.extensions = r.Int(15);
  l.status = r.Text(16);
  l.state.price_fen = r.OptInt(17);
  l.state.leader_id = r.OptInt(18);
  l.state.leader_max_fen = r.Int(19);
  l.leader_name = r.Text(20);
  l.state.runner_up_id = r.OptInt(21);
  l.state.runner_up_max_fen = r.Int(22);
  l.state.bid_count = r.Int(23);
  l.closed_at_ms = r.OptInt(24);
  l.unsold_reason = r.OptText(25);
  l.buyer_user_id = r.OptInt(26);
  l.sale_price_fen = r.OptInt(27);
  l.pay_by_ms = r.OptInt(28);
  l.payment_id = r.OptInt(29);
  l.offer_user_id = r.OptInt(30);
  l.offer_price_fen = r.OptInt(31);
  l.offer_expires_at_ms = r.OptInt(32);
  l.created_by = r.Int(33);
  l.approved_by = r.OptInt(34);
  l.approved_at_ms = r.OptInt(35);
  l.created_at_ms = r.Int(36);
  l.buyer_name = r.Text(37);
  l.photos = media::DecodePhotos(r.Text(38));
  return l;
}

constexpr const char* kBidColumns =
    "b.id, b.public_id, b.lot_id, l.public_id, l.title, b.user_id, u.display_name, b.max_fen, b.at_ms, b.accepted, "
    "b.reject_reason, b.min_fen, b.seq, b.price_after_fen, b.leading_after, b.extended";
constexpr const char* kBidFrom =
    " FROM auction_bids b JOIN auction_lots l ON l.id = b.lot_id JOIN users u ON u.id = b.user_id";

BidRecord ReadBid(const db::Row& r) {
  BidRecord b;
  b.id = r.Int(0);
  b.public_id = r.Text(1);
  b.lot_id = r.Int(2);
  b.lot_public_id = r.Text(3);
  b.lot_title = r.Text(4);
  b.user_id = r.Int(5);
  b.bidder_name = r.Text(6);
  b.max_fen = r.Int(7);
  b.at_ms = r.Int(8);
  b.accepted = r.Bool(9);
  b.reject_reason = r.OptText(10);
  b.min_fen = r.Int(11);
  b.seq = r.OptInt(12);
  b.price_after_fen = r.OptInt(13);
  b.leading_after = r.Bool(14);
  b.extended = r.Bool(15);
  return b;
}

std::vector<int64_t> Ids(const db::Rows& rows) {
  std::vector<int64_t> ids;
  for (size_t i = 0; i < rows.size(); ++i) {
    ids.push_back(rows[i].Int(0));
  }
  return ids;
}

}  // namespace

int64_t InsertLot(db::Tx& tx, const Lot& l) {
  return tx.Insert(
      "INSERT INTO auction_lots (public_id, title, description, donor_name, market_value_fen, purpose_id, "
      "starts_at_ms, scheduled_end_ms, ends_at_ms, start_price_fen, reserve_fen, increments, extend_window_ms, "
      "max_extensions, status, created_by, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, 'pending_approval', $14, $15)",
      {l.public_id, l.title, l.description, l.donor_name, l.market_value_fen, l.purpose_id, l.rules.starts_at_ms,
       l.rules.ends_at_ms, l.rules.start_price_fen, l.rules.reserve_fen, l.increments_text,
       l.rules.extend_window_ms, l.rules.max_extensions, l.created_by, l.created_at_ms});
}

std::optional<Lot> FindLot(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string("SELECT ") + kLotColumns + kLotFrom + " WHERE l.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadLot(rows.front());
}

std::optional<int64_t> LotIdByPublicId(db::Tx& tx, const std::string& public_id) {
  const auto rows = tx.Query("SELECT id FROM auction_lots WHERE public_id = $1", {public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

std::optional<Lot> LockLot(db::Tx& tx, int64_t id) {
  if (!db::LockRow(tx, "auction_lots", id)) {
    return std::nullopt;
  }
  return FindLot(tx, id);
}

std::vector<Lot> ListLots(db::Tx& tx, const LotFilter& f) {
  // $1 is the limit, $2 the cursor (NULL: from the first), $3 the time for
  // the phases that need it.
  std::string where = " WHERE l.status <> 'pending_approval'";
  std::string key = "ends_at_ms";
  bool descending = false;
  bool timed = true;
  if (f.phase == "pending_approval") {
    where = " WHERE l.status = 'pending_approval'";
    key = "created_at_ms";
    timed = false;
  } else if (f.phase == "upcoming") {
    where = " WHERE l.status = 'approved' AND l.starts_at_ms > $3";
    key = "starts_at_ms";
  } else if (f.phase == "live") {
    where = " WHERE l.status = 'approved' AND l.starts_at_ms <= $3 AND l.ends_at_ms > $3";
  } else if (f.phase == "ended") {
    where = " WHERE l.status <> 'pending_approval' AND (l.status <> 'approved' OR l.ends_at_ms <= $3)";
    descending = true;
  } else {
    timed = false;
  }
  // The page after the cursor lot in the list's order (key, then id). An
  // end moved by a soft close since may repeat or skip a lot at the edge.
  const std::string cursor = fmt::format(
      " AND (CAST($2 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM auction_lots c WHERE c.public_id = $2 AND "
      "(l.{0} {1} c.{0} OR (l.{0} = c.{0} AND l.id {1} c.id))))",
      key, descending ? "<" : ">");
  const std::string order = descending ? fmt::format(" ORDER BY l.{} DESC, l.id DESC", key)
                                       : fmt::format(" ORDER BY l.{}, l.id", key);
  const std::optional<std::string> before =
      f.before.empty() ? std::nullopt : std::optional<std::string>(f.before);
  const std::string sql = std::string("SELECT ") + kLotColumns + kLotFrom + where + cursor + order + " LIMIT $1";
  const auto rows = timed ? tx.Query(sql, {f.limit, before, f.now_ms}) : tx.Query(sql, {f.limit, before});
  std::vector<Lot> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadLot(rows[i]));
  }
  return out;
}

void SetPhotos(db::Tx& tx, int64_t lot_id, const std::vector<media::Image>& photos) {
  tx.Exec("UPDATE auction_lots SET photos = $2 WHERE id = $1", {lot_id, media::EncodePhotos(photos)});
}

std::optional<Fen> MyMaxOn(db::Tx& tx, int64_t lot_id, int64_t user_id) {
  const auto rows = tx.Query(
      "SELECT MAX(max_fen) FROM auction_bids WHERE lot_id = $1 AND user_id = $2 AND accepted = 1", {lot_id, user_id});
  return rows.empty() ? std::nullopt : rows.front().OptInt(0);
}

std::vector<MyLot> LotsBidOn(db::Tx& tx, int64_t user_id, int limit) {
  const auto rows = tx.Query(
      std::string("SELECT ") + kLotColumns +
          ", m.my_max FROM (SELECT lot_id, MAX(max_fen) AS my_max, MAX(id) AS last_bid FROM auction_bids "
          "WHERE user_id = $1 AND accepted = 1 GROUP BY lot_id) m JOIN auction_lots l ON l.id = m.lot_id" +
          kLotJoins + " ORDER BY m.last_bid DESC LIMIT $2",
      {user_id, limit});
  std::vector<MyLot> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({ReadLot(rows[i]), rows[i].Int(39)});
  }
  return out;
}

bool Approve(db::Tx& tx, int64_t lot_id, int64_t by, int64_t now_ms) {
  return tx.Exec(
             "UPDATE auction_lots SET status = 'approved', approved_by = $2, approved_at_ms = $3 "
             "WHERE id = $1 AND status = 'pending_approval' AND created_by <> $2",
             {lot_id, by, now_ms}) == 1;
}

bool UpdateBidding(db::Tx& tx, int64_t lot_id, int64_t old_bid_count, const LotState& s) {
  return tx.Exec(
             "UPDATE auction_lots SET price_fen = $3, leader_user_id = $4, leader_max_fen = $5, "
             "runner_up_user_id = $6, runner_up_max_fen = $7, bid_count = $8, ends_at_ms = $9, extensions = $10 "
             "WHERE id = $1 AND bid_count = $2 AND status = 'approved'",
             {lot_id, old_bid_count, s.price_fen, s.leader_id, s.leader_max_fen, s.runner_up_id, s.runner_up_max_fen,
              s.bid_count, s.ends_at_ms, s.extensions}) == 1;
}

int64_t InsertBid(db::Tx& tx, const BidRecord& b) {
  return tx.Insert(
      "INSERT INTO auction_bids (public_id, lot_id, user_id, max_fen, at_ms, accepted, reject_reason, min_fen, seq, "
      "price_after_fen, leading_after, extended) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {b.public_id, b.lot_id, b.user_id, b.max_fen, b.at_ms, b.accepted, b.reject_reason, b.min_fen, b.seq,
       b.price_after_fen, b.leading_after, b.extended});
}

std::optional<BidRecord> FindBid(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string("SELECT ") + kBidColumns + kBidFrom + " WHERE b.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadBid(rows.front());
}

std::vector<BidRecord> AcceptedBids(db::Tx& tx, int64_t lot_id, bool newest_first, int limit) {
  const auto rows = tx.Query(std::string("SELECT ") + kBidColumns + kBidFrom +
                                 " WHERE b.lot_id = $1 AND b.seq IS NOT NULL ORDER BY b.seq" +
                                 (newest_first ? " DESC" : "") + " LIMIT $2",
                             {lot_id, limit});
  std::vector<BidRecord> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadBid(rows[i]));
  }
  return out;
}

std::vector<BidRecord> BidsOf(db::Tx& tx, int64_t user_id, int limit) {
  const auto rows = tx.Query(
      std::string("SELECT ") + kBidColumns + kBidFrom + " WHERE b.user_id = $1 ORDER BY b.id DESC LIMIT $2",
      {user_id, limit});
  std::vector<BidRecord> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadBid(rows[i]));
  }
  return out;
}

std::vector<int64_t> DueLots(db::Tx& tx, int64_t now_ms, int limit) {
  return Ids(tx.Query("SELECT id FROM auction_lots WHERE status = 'approved' AND ends_at_ms <= $1 "
                      "ORDER BY ends_at_ms, id LIMIT $2",
                      {now_ms, limit}));
}

bool CloseSold(db::Tx& tx, int64_t lot_id, int64_t buyer, Fen price, int64_t pay_by_ms, int64_t now_ms) {
  return tx.Exec(
             "UPDATE auction_lots SET status = 'awaiting_payment', buyer_user_id = $2, sale_price_fen = $3, "
             "pay_by_ms = $4, closed_at_ms = $5 WHERE id = $1 AND status = 'approved' AND ends_at_ms <= $5",
             {lot_id, buyer, price, pay_by_ms, now_ms}) == 1;
}

bool CloseUnsold(db::Tx& tx, int64_t lot_id, const std::string& reason, int64_t now_ms) {
  return tx.Exec(
             "UPDATE auction_lots SET status = 'unsold', unsold_reason = $2, closed_at_ms = $3 "
             "WHERE id = $1 AND status = 'approved' AND ends_at_ms <= $3",
             {lot_id, reason, now_ms}) == 1;
}

std::vector<int64_t> LapseUnpaid(db::Tx& tx, int64_t now_ms, int limit) {
  return Ids(tx.Query(
      "UPDATE auction_lots SET status = 'lapsed' WHERE id IN (SELECT id FROM auction_lots "
      "WHERE status = 'awaiting_payment' AND pay_by_ms <= $1 ORDER BY id LIMIT $2) "
      "AND status = 'awaiting_payment' AND pay_by_ms <= $1 RETURNING id",
      {now_ms, limit}));
}

std::vector<int64_t> ExpireOffers(db::Tx& tx, int64_t now_ms, int limit) {
  return Ids(tx.Query(
      "UPDATE auction_lots SET status = 'unsold', unsold_reason = 'offer_expired' WHERE id IN (SELECT id FROM "
      "auction_lots WHERE status = 'offered' AND offer_expires_at_ms <= $1 ORDER BY id LIMIT $2) "
      "AND status = 'offered' AND offer_expires_at_ms <= $1 RETURNING id",
      {now_ms, limit}));
}

bool SetPayment(db::Tx& tx, int64_t lot_id, int64_t payment_id) {
  return tx.Exec("UPDATE auction_lots SET payment_id = $2 WHERE id = $1 AND status = 'awaiting_payment'",
                 {lot_id, payment_id}) == 1;
}

bool MarkPaid(db::Tx& tx, int64_t lot_id, int64_t payment_id) {
  return tx.Exec(
             "UPDATE auction_lots SET status = 'paid' WHERE id = $1 AND payment_id = $2 "
             "AND status IN ('awaiting_payment', 'lapsed')",
             {lot_id, payment_id}) == 1;
}

bool Offer(db::Tx& tx, int64_t lot_id, int64_t user, Fen price, int64_t expires_at_ms) {
  return tx.Exec(
             "UPDATE auction_lots SET status = 'offered', offer_user_id = $2, offer_price_fen = $3, "
             "offer_expires_at_ms = $4 WHERE id = $1 AND status = 'lapsed'",
             {lot_id, user, price, expires_at_ms}) == 1;
}

bool AcceptOffer(db::Tx& tx, int64_t lot_id, int64_t user, int64_t pay_by_ms, int64_t now_ms) {
  return tx.Exec(
             "UPDATE auction_lots SET status = 'awaiting_payment', buyer_user_id = offer_user_id, "
             "sale_price_fen = offer_price_fen, pay_by_ms = $3, payment_id = NULL "
             "WHERE id = $1 AND status = 'offered' AND offer_user_id = $2 AND offer_expires_at_ms > $4",
             {lot_id, user, pay_by_ms, now_ms}) == 1;
}

bool DeclineOffer(db::Tx& tx, int64_t lot_id, int64_t user, int64_t now_ms) {
  return tx.Exec(
             "UPDATE auction_lots SET status = 'unsold', unsold_reason = 'offer_declined' "
             "WHERE id = $1 AND status = 'offered' AND offer_user_id = $2 AND offer_expires_at_ms > $3",
             {lot_id, user, now_ms}) == 1;
}

}  // namespace carecity::auction::repo
