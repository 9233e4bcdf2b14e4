#include "domains/payments/repo.h"

namespace carecity::payments::repo {
namespace {

constexpr const char* kColumns =
    "id, provider, out_trade_no, purpose, ref_id, amount_fen, description, status, provider_txn_id, fee_fen, "
    "return_url, created_at_ms, paid_at_ms, public_id, payer_user_id, refunded_fen";

Payment FromRow(const db::Row& r) {
  Payment p;
  p.id = r.Int(0);
  p.provider = r.Text(1);
  p.out_trade_no = r.Text(2);
  p.purpose = r.Text(3);
  p.ref_id = r.Int(4);
  p.amount_fen = r.Int(5);
  p.description = r.Text(6);
  p.status = r.Text(7);
  p.provider_txn_id = r.OptText(8);
  p.fee_fen = r.Int(9);
  p.return_url = r.Text(10);
  p.created_at_ms = r.Int(11);
  p.paid_at_ms = r.OptInt(12);
  p.public_id = r.Text(13);
  p.payer_user_id = r.OptInt(14);
  p.refunded_fen = r.Int(15);
  return p;
}

}  // namespace

int64_t Insert(db::Tx& tx, const Payment& p) {
  return tx.Insert(
      "INSERT INTO payments (public_id, payer_user_id, provider, out_trade_no, purpose, ref_id, amount_fen, "
      "description, status, return_url, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'created', $9, $10)",
      {p.public_id, p.payer_user_id, p.provider, p.out_trade_no, p.purpose, p.ref_id, p.amount_fen, p.description,
       p.return_url, p.created_at_ms});
}

std::optional<Payment> Find(db::Tx& tx, int64_t id) {
  auto rows = tx.Query(std::string("SELECT ") + kColumns + " FROM payments WHERE id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return FromRow(rows.front());
}

std::optional<Payment> FindByPublicId(db::Tx& tx, const std::string& public_id) {
  auto rows = tx.Query(std::string("SELECT ") + kColumns + " FROM payments WHERE public_id = $1", {public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return FromRow(rows.front());
}

std::optional<Payment> FindByTradeNo(db::Tx& tx, const std::string& out_trade_no) {
  auto rows = tx.Query(std::string("SELECT ") + kColumns + " FROM payments WHERE out_trade_no = $1", {out_trade_no});
  if (rows.empty()) {
    return std::nullopt;
  }
  return FromRow(rows.front());
}

std::optional<Payment> MarkPaid(db::Tx& tx, const std::string& provider, const PaidNotice& n) {
  auto rows = tx.Query(std::string("UPDATE payments SET status = 'paid', provider_txn_id = $2, paid_at_ms = $3, "
                                   "fee_fen = $4 WHERE out_trade_no = $1 AND status = 'created' AND amount_fen = $5 "
                                   "AND provider = $6 RETURNING ") + kColumns,
                       {n.out_trade_no, n.transaction_id, n.paid_at_ms, n.fee_fen, n.amount_fen, provider});
  if (rows.empty()) {
    return std::nullopt;
  }
  return FromRow(rows.front());
}

bool MarkClosed(db::Tx& tx, int64_t id, int64_t now_ms) {
  return tx.Exec("UPDATE payments SET status = 'closed', closed_at_ms = $2 WHERE id = $1 AND status = 'created'",
                 {id, now_ms}) == 1;
}

bool AddRefunded(db::Tx& tx, int64_t id, int64_t amount_fen) {
  return tx.Exec(
             "UPDATE payments SET refunded_fen = refunded_fen + $2, "
             "status = CASE WHEN refunded_fen + $2 = amount_fen THEN 'refunded' ELSE status END "
             "WHERE id = $1 AND status = 'paid' AND refunded_fen + $2 <= amount_fen",
             {id, amount_fen}) == 1;
}

void LogNotification(db::Tx& tx, const std::string& provider, const std::string& out_trade_no, bool valid,
                     const std::string& outcome, const std::string& body, int64_t now_ms) {
  tx.Exec(
      "INSERT INTO payment_notifications (provider, out_trade_no, valid, outcome, body, received_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {provider, out_trade_no, valid, outcome, body.substr(0, 4096), now_ms});
}

int64_t PruneRejectedNotifications(db::Tx& tx, int64_t before_ms, int limit) {
  return tx.Exec(
      "DELETE FROM payment_notifications WHERE id IN "
      "(SELECT id FROM payment_notifications WHERE valid = 0 AND received_at_ms < $1 LIMIT $2)",
      {before_ms, limit});
}

std::vector<Payment> ListOpen(db::Tx& tx, int64_t after_id, int64_t before_ms, int64_t now_ms,
                              int64_t expired_before_ms, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + kColumns +
                           " FROM payments WHERE status = 'created' AND id > $1 AND created_at_ms <= $2 "
                           "AND (next_query_at_ms IS NULL OR next_query_at_ms <= $3 OR created_at_ms <= $4) "
                           "ORDER BY id LIMIT $5",
                       {after_id, before_ms, now_ms, expired_before_ms, limit});
  return rows.Map(FromRow);
}

void SetNextQuery(db::Tx& tx, int64_t id, int64_t next_ms) {
  tx.Exec("UPDATE payments SET next_query_at_ms = $1 WHERE id = $2 AND status = 'created'", {next_ms, id});
}

namespace {
constexpr const char* kRefundColumns =
    "id, payment_id, out_refund_no, amount_fen, reason, requested_by, status, created_at_ms, detail";
PaymentRefund RefundFromRow(const db::Row& r) {
  return PaymentRefund{r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Text(4), r.OptInt(5), r.Text(6), r.Int(7), r.Text(8)};
}
}  // namespace

bool InsertOrphan(db::Tx& tx, const PaymentOrphan& o) {
  return tx.Exec("INSERT INTO payment_orphans (payment_id, provider, out_trade_no, transaction_id, amount_fen, "
                 "received_at_ms, out_refund_no, status) VALUES ($1, $2, $3, $4, $5, $6, $7, 'owed') "
                 "ON CONFLICT (provider, out_trade_no) DO NOTHING",
                 {o.payment_id, o.provider, o.out_trade_no, o.transaction_id, o.amount_fen, o.received_at_ms,
                  o.out_refund_no}) == 1;
}

std::vector<PaymentOrphan> ListOrphans(db::Tx& tx, const std::string& status, int64_t after_id, int limit) {
  auto rows = tx.Query(
      "SELECT id, payment_id, provider, out_trade_no, transaction_id, amount_fen, received_at_ms, out_refund_no, "
      "status, detail, settled_at_ms FROM payment_orphans WHERE ($1 = '' OR status = $1) AND id > $2 ORDER BY id "
      "LIMIT $3",
      {status, after_id, limit});
  std::vector<PaymentOrphan> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row& r = rows[i];
    out.push_back(PaymentOrphan{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6), r.Text(7),
                                r.Text(8), r.Text(9), r.OptInt(10)});
  }
  return out;
}

bool SettleOrphan(db::Tx& tx, int64_t id, const std::string& status, const std::string& detail, int64_t now_ms) {
  return tx.Exec("UPDATE payment_orphans SET status = $2, detail = $3, settled_at_ms = $4 "
                 "WHERE id = $1 AND status = 'owed'",
                 {id, status, detail, now_ms}) == 1;
}

std::optional<int64_t> InsertRefundRequest(db::Tx& tx, const PaymentRefund& r) {
  // No conflict target: a taken number and another request under way (the
  // partial unique index payment_refunds_one_under_way) both mean "not now".
  if (tx.Exec("INSERT INTO payment_refunds (payment_id, out_refund_no, amount_fen, reason, requested_by, status, "
              "created_at_ms, detail) VALUES ($1, $2, $3, $4, $5, 'requested', $6, $7) ON CONFLICT DO NOTHING",
              {r.payment_id, r.out_refund_no, r.amount_fen, r.reason, r.requested_by, r.created_at_ms, r.detail}) !=
      1) {
    return std::nullopt;
  }
  return tx.Query("SELECT id FROM payment_refunds WHERE out_refund_no = $1", {r.out_refund_no}).front().Int(0);
}

std::optional<PaymentRefund> FindRefundByNo(db::Tx& tx, const std::string& out_refund_no) {
  auto rows = tx.Query(std::string("SELECT ") + kRefundColumns + " FROM payment_refunds WHERE out_refund_no = $1",
                       {out_refund_no});
  if (rows.empty()) {
    return std::nullopt;
  }
  return RefundFromRow(rows.front());
}

std::optional<PaymentRefund> FindRefund(db::Tx& tx, int64_t id) {
  auto rows = tx.Query(std::string("SELECT ") + kRefundColumns + " FROM payment_refunds WHERE id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return RefundFromRow(rows.front());
}

std::vector<PaymentRefund> ListRequestedRefunds(db::Tx& tx, int64_t after_id, int64_t before_ms, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + kRefundColumns +
                           " FROM payment_refunds WHERE status = 'requested' AND id > $1 AND created_at_ms <= $2 "
                           "ORDER BY id LIMIT $3",
                       {after_id, before_ms, limit});
  std::vector<PaymentRefund> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(RefundFromRow(rows[i]));
  }
  return out;
}

bool MarkRefundSucceeded(db::Tx& tx, int64_t id) {
  return tx.Exec("UPDATE payment_refunds SET status = 'succeeded' WHERE id = $1 AND status = 'requested'", {id}) == 1;
}

bool DeleteRefundRequest(db::Tx& tx, int64_t id) {
  return tx.Exec("DELETE FROM payment_refunds WHERE id = $1 AND status = 'requested'", {id}) == 1;
}

void SandboxInsert(db::Tx& tx, const SandboxOrder& o, int64_t now_ms) {
  tx.Exec(
      "INSERT INTO sandbox_orders (out_trade_no, amount_fen, description, notify_url, status, created_at_ms, "
      "expires_at_ms) VALUES ($1, $2, $3, $4, 'NOTPAY', $5, $6) ON CONFLICT (out_trade_no) DO NOTHING",
      {o.out_trade_no, o.amount_fen, o.description, o.notify_url, now_ms, o.expires_at_ms});
}

std::optional<SandboxOrder> SandboxFind(db::Tx& tx, const std::string& out_trade_no) {
  auto rows = tx.Query(
      "SELECT out_trade_no, amount_fen, description, notify_url, status, transaction_id, paid_at_ms, refund_no, "
      "expires_at_ms FROM sandbox_orders WHERE out_trade_no = $1",
      {out_trade_no});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  return SandboxOrder{r.Text(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.OptText(5), r.OptInt(6), r.OptText(7), r.OptInt(8)};
}

bool SandboxMarkPaid(db::Tx& tx, const std::string& out_trade_no, const std::string& txn_id, int64_t now_ms) {
  return tx.Exec(
             "UPDATE sandbox_orders SET status = 'SUCCESS', transaction_id = $2, paid_at_ms = $3 "
             "WHERE out_trade_no = $1 AND status = 'NOTPAY' AND (expires_at_ms IS NULL OR expires_at_ms >= $3)",
             {out_trade_no, txn_id, now_ms}) == 1;
}

bool SandboxClose(db::Tx& tx, const std::string& out_trade_no) {
  return tx.Exec("UPDATE sandbox_orders SET status = 'CLOSED' WHERE out_trade_no = $1 AND status = 'NOTPAY'",
                 {out_trade_no}) == 1;
}

std::optional<std::string> SandboxRefundTradeNo(db::Tx& tx, const std::string& out_refund_no) {
  auto rows = tx.Query("SELECT out_trade_no FROM sandbox_refunds WHERE out_refund_no = $1", {out_refund_no});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Text(0);
}

bool SandboxRefund(db::Tx& tx, const std::string& out_trade_no, const std::string& out_refund_no, int64_t amount_fen,
                   int64_t now_ms) {
  if (tx.Exec("INSERT INTO sandbox_refunds (out_refund_no, out_trade_no, amount_fen, refunded_at_ms) "
              "VALUES ($1, $2, $3, $4) ON CONFLICT (out_refund_no) DO NOTHING",
              {out_refund_no, out_trade_no, amount_fen, now_ms}) != 1) {
    return false;
  }
  // Never beyond what was paid, whatever runs at the same moment.
  return tx.Exec(
             "UPDATE sandbox_orders SET refunded_fen = refunded_fen + $2, refund_no = $3, refunded_at_ms = $4, "
             "status = CASE WHEN refunded_fen + $2 = amount_fen THEN 'REFUND' ELSE status END "
             "WHERE out_trade_no = $1 AND status = 'SUCCESS' AND refunded_fen + $2 <= amount_fen",
             {out_trade_no, amount_fen, out_refund_no, now_ms}) == 1;
}

}  // namespace carecity::payments::repo
