// SQL for payments and the sandbox provider's own order book.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/payments/model.h"

namespace carecity::payments::repo {

int64_t Insert(db::Tx& tx, const Payment& p);
std::optional<Payment> Find(db::Tx& tx, int64_t id);
std::optional<Payment> FindByPublicId(db::Tx& tx, const std::string& public_id);
std::optional<Payment> FindByTradeNo(db::Tx& tx, const std::string& out_trade_no);
// created -> paid, only if still created, with this provider, and the amount
// matches. The paid payment if this call did it, else nullopt.
std::optional<Payment> MarkPaid(db::Tx& tx, const std::string& provider, const PaidNotice& n);
// created -> closed. True if this call did it.
bool MarkClosed(db::Tx& tx, int64_t id, int64_t now_ms);
// Books a refund of `amount_fen` on a paid payment, which becomes
// `refunded` when all of it went back. False (nothing changed) if it is not
// paid or that would go beyond its amount.
bool AddRefunded(db::Tx& tx, int64_t id, int64_t amount_fen);
void LogNotification(db::Tx& tx, const std::string& provider, const std::string& out_trade_no, bool valid,
                     const std::string& outcome, const std::string& body, int64_t now_ms);
// Deletes up to `limit` rejected notifications received before `before_ms`.
int64_t PruneRejectedNotifications(db::Tx& tx, int64_t before_ms, int limit);
// Payments still `created` with id > after_id, created at or before
// before_ms, oldest first, that are due to be asked about (next_query_at_ms
// unset or reached by now_ms) or created at or before expired_before_ms:
// the ones a lost notification may have left behind, and the ones to close.
std::vector<Payment> ListOpen(db::Tx& tx, int64_t after_id, int64_t before_ms, int64_t now_ms,
                              int64_t expired_before_ms, int limit);
// After a query that found `id` still unpaid: not asked about again before
// `next_ms` (unless it expires first).
void SetNextQuery(db::Tx& tx, int64_t id, int64_t next_ms);
// A refund request, unless one for this refund number exists (the id if
// this call added it).
std::optional<int64_t> InsertRefundRequest(db::Tx& tx, const PaymentRefund& r);
std::optional<PaymentRefund> FindRefund(db::Tx& tx, int64_t id);
std::optional<PaymentRefund> FindRefundByNo(db::Tx& tx, const std::string& out_refund_no);
// Keeps a paid notice for a closed payment (once per provider order); false
// if it was kept before.
bool InsertOrphan(db::Tx& tx, const PaymentOrphan& o);
// Orphans with id > after_id in `status`, oldest first; all of them when
// `status` is empty.
std::vector<PaymentOrphan> ListOrphans(db::Tx& tx, const std::string& status, int64_t after_id, int limit);
// owed -> refunded | abnormal; false if it was settled meanwhile.
bool SettleOrphan(db::Tx& tx, int64_t id, const std::string& status, const std::string& detail, int64_t now_ms);
// Requests with id > after_id made at or before `before_ms` that were never
// booked, oldest first.
std::vector<PaymentRefund> ListRequestedRefunds(db::Tx& tx, int64_t after_id, int64_t before_ms, int limit);
// requested -> succeeded. True if this call did it.
bool MarkRefundSucceeded(db::Tx& tx, int64_t id);
// The provider refused: the request is withdrawn (nothing was returned).
// False if it was not `requested` any more.
bool DeleteRefundRequest(db::Tx& tx, int64_t id);

struct SandboxOrder {
  std::string out_trade_no;
  int64_t amount_fen = 0;
  std::string description;
  std::string notify_url;
  std::string status;  // NOTPAY | SUCCESS | CLOSED | REFUND
  std::optional<std::string> transaction_id;
  std::optional<int64_t> paid_at_ms;
  std::optional<std::string> refund_no;
  std::optional<int64_t> expires_at_ms;  // unpaid after this, it cannot be paid (time_expire)
};
void SandboxInsert(db::Tx& tx, const SandboxOrder& o, int64_t now_ms);
std::optional<SandboxOrder> SandboxFind(db::Tx& tx, const std::string& out_trade_no);
// NOTPAY -> SUCCESS, unless the order expired. True if this call did it.
bool SandboxMarkPaid(db::Tx& tx, const std::string& out_trade_no, const std::string& txn_id, int64_t now_ms);
bool SandboxClose(db::Tx& tx, const std::string& out_trade_no);
// The order a sandbox refund number was used for, if it was.
std::optional<std::string> SandboxRefundTradeNo(db::Tx& tx, const std::string& out_refund_no);
// Records a refund of `amount_fen` under its number, within what is left
// of a SUCCESS order (REFUND once all went back). False if the number is
// taken or the order cannot give that much back: the caller rolls back.
bool SandboxRefund(db::Tx& tx, const std::string& out_trade_no, const std::string& out_refund_no, int64_t amount_fen,
                   int64_t now_ms);

}  // namespace carecity::payments::repo
