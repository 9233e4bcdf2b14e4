// Payments through a provider shaped like WeChat Pay / Alipay H5: create an
// order, send the payer to a pay page, receive a signed asynchronous
// notification, confirm idempotently, query, close, refund.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace carecity::payments {

struct Payment {
  int64_t id = 0;             // internal; never leaves the server
  std::string public_id;      // in URLs and JSON (NewPublicId)
  std::optional<int64_t> payer_user_id;  // the signed-in payer; nullopt for a guest
  std::string provider;       // "sandbox"
  std::string out_trade_no;   // our order number, unique, sent to the provider
  std::string purpose;        // what it pays for: "donation"
  int64_t ref_id = 0;         // e.g. the donation id
  int64_t amount_fen = 0;
  std::string description;
  std::string status;         // created | paid | closed | refunded
  std::optional<std::string> provider_txn_id;
  int64_t fee_fen = 0;
  std::string return_url;
  int64_t created_at_ms = 0;
  std::optional<int64_t> paid_at_ms;
  int64_t refunded_fen = 0;   // refunds booked; status `refunded` once it is amount_fen
};

// What an owning domain asks to be paid (PaymentsService::CreateTx).
struct NewPayment {
  std::string purpose;        // "donation": whose handlers hear about it
  int64_t ref_id = 0;         // the owning row (the donation's id)
  int64_t amount_fen = 0;
  std::string description;    // shown to the payer
  std::string return_url;     // where the payer goes afterwards, a path in our app
  std::optional<int64_t> payer_user_id;  // nullopt: a guest (reaches it by token)
  std::string provider;       // "" = the default provider
};

// A provider's word that an order was paid, after its signature checked out.
struct PaidNotice {
  std::string out_trade_no;
  std::string transaction_id;
  int64_t amount_fen = 0;
  int64_t fee_fen = 0;
  int64_t paid_at_ms = 0;
};

// A refund of all or part of a payment: requested first, then returned at
// the provider under out_refund_no, then booked (succeeded).
struct PaymentRefund {
  int64_t id = 0;
  int64_t payment_id = 0;
  std::string out_refund_no;
  int64_t amount_fen = 0;
  std::string reason;
  std::optional<int64_t> requested_by;  // the user who asked
  std::string status;                   // requested | succeeded
  int64_t created_at_ms = 0;
  std::string detail;                   // the owning domain's words for what goes back ("" = all)
};

// Money paid at the provider for a payment we had closed: never booked,
// refunded in full (migration 0031).
struct PaymentOrphan {
  int64_t id = 0;
  int64_t payment_id = 0;
  std::string provider;
  std::string out_trade_no;
  std::string transaction_id;
  int64_t amount_fen = 0;
  int64_t received_at_ms = 0;
  std::string out_refund_no;
  std::string status;  // owed | refunded | abnormal
  std::string detail;
  std::optional<int64_t> settled_at_ms;
};

// What an owning domain asks to give back (PaymentsService::Refund).
struct RefundAsk {
  std::optional<int64_t> amount_fen;   // nullopt: all that is left
  std::string reason;
  std::optional<int64_t> requested_by;
  std::string detail;                  // stored with the request for the purpose's handlers
  // The caller's Idempotency-Key: the same key is the same refund (its
  // number is derived from it). Empty: the refund of all that is left.
  std::string key;
};

// What handling a verified notification did: credited a payment (or booked
// a refund), found it done already, refused it (not ours, wrong amount),
// nothing was asked of us (an event we do not act on), or kept money paid
// for a payment we had closed, to refund it (an orphan).
enum class ConfirmOutcome { kCredited, kDuplicate, kRejected, kIgnored, kOrphan };

}  // namespace carecity::payments
