// What a payment provider does for us, shaped like WeChat Pay / Alipay H5:
// open an order and send the payer to its pay page, call us back with a
// signed asynchronous notification, answer queries, close unpaid orders and
// refund with an idempotent out_refund_no.
//
// The payer is always sent to our page /pay/{provider}/{public_id}
// (PaymentsService::PayUrl; a guest's link carries its access token), which
// hands over to the provider's own page: a provider's pay link expires, ours
// does not. For the sandbox that page is the provider's pay page itself.
//
// A provider is a remote system: every call may take a network round trip
// and may fail, so they are coroutines, and none runs inside one of our
// database transactions. PaymentsService owns the providers and is the only
// caller; it records in our own tables what a provider answered.
//
// The built-in `sandbox` (sandbox_provider.h) implements this against its
// own order book. A real provider adds a class here and a line in App.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/result.h"
#include "domains/payments/model.h"

namespace carecity::payments {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

// The two errors every provider answers with besides not-found: the
// provider could not be reached or did not answer believably (try again
// later, same numbers), and the provider said no.
inline Error ProviderUnavailable(std::string detail) {
  return Error{ErrorCode::kUnavailable, "provider_unavailable", {}, std::move(detail)};
}
inline Error ProviderRefused(std::string detail) {
  return Error{ErrorCode::kConflict, "provider_refused", {}, std::move(detail)};
}

// Where the payer pays: WeChat Pay's JSAPI sheet inside WeChat, a mobile
// browser's redirect (WeChat H5, Alipay wap) elsewhere; kNone for a provider
// whose pay page is ours (the sandbox).
enum class Scene { kNone, kJsapi, kH5 };

// What we ask a provider to open ("unified order").
struct OrderRequest {
  std::string out_trade_no;  // ours, unique; the provider refuses a second order under it
  int64_t amount_fen = 0;
  std::string description;   // shown to the payer
  std::string notify_url;    // where the provider posts its notification
  int64_t expires_at_ms = 0; // time_expire: unpaid after this, the order is closed
  std::string payer_ip;      // the payer's address (WeChat H5 requires it; "" if unknown)
  std::string pay_page;      // our pay page for it, with the guest's token (the sandbox's page is this)
  Scene scene = Scene::kNone;
  std::string payer_openid;  // JSAPI: the payer's openid under our official account
  std::string return_url;    // absolute: where the provider's page sends the payer back
  std::string quit_url;      // absolute: our pay page, where a payer who gives up goes (Alipay)
};

// What the payer's browser does next to pay: follow a link (the sandbox's
// page, WeChat's h5_url, Alipay's signed link) or, inside WeChat, open the
// JSAPI payment sheet with these signed parameters (appId, timeStamp,
// nonceStr, package, signType, paySign).
struct PayAction {
  enum class Kind { kRedirect, kJsapi };
  Kind kind = Kind::kRedirect;
  std::string url;
  std::map<std::string, std::string> jsapi;
};

// Where a refund stands at the provider. Only kSucceeded is booked; a
// refund kProcessing is asked about again (or its notification books it);
// kClosed means nothing went back (the request is withdrawn); kAbnormal
// means the money is stuck (the payer's card closed, say) and a fund admin
// must settle it at the provider.
struct RefundState {
  enum class Kind { kSucceeded, kProcessing, kClosed, kAbnormal };
  Kind kind = Kind::kSucceeded;
  std::string provider_refund_id;
  std::optional<int64_t> succeeded_at_ms;
};

// A provider's word on a refund (WeChat Pay's REFUND.* notifications).
struct RefundNotice {
  std::string out_trade_no;
  std::string out_refund_no;
  RefundState state;
  int64_t amount_fen = 0;
};

// A notification that verified but asks nothing of us (an event we do not
// act on, a transaction not yet paid): acknowledged so it is not resent.
struct IgnoredNotice {
  std::string event;
};

using ProviderNotice = std::variant<PaidNotice, RefundNotice, IgnoredNotice>;

// The provider's view of an order (trade_state in WeChat's words).
struct ProviderOrder {
  std::string out_trade_no;
  std::string state;  // NOTPAY | SUCCESS | CLOSED | REFUND
  int64_t amount_fen = 0;
  int64_t fee_fen = 0;
  std::optional<std::string> transaction_id;
  std::optional<int64_t> paid_at_ms;

  // Paid and not given back. (An order refunded at the provider while still
  // open here is not confirmed: that money is no longer ours.)
  bool paid() const { return state == "SUCCESS"; }
  // The paid notice a SUCCESS order amounts to (what a notification would say).
  PaidNotice Notice(int64_t now_ms) const {
    return PaidNotice{out_trade_no, transaction_id.value_or(""), amount_fen, fee_fen, paid_at_ms.value_or(now_ms)};
  }
};

// A header of the incoming notification, by lower-case name ("" if absent).
using HeaderLookup = std::function<std::string_view(std::string_view)>;

// Our answer to a provider's notification. Providers check it to the letter:
// WeChat Pay wants HTTP 200 with {"code":"SUCCESS"}, Alipay the plain text
// `success`; anything else makes them deliver the notification again.
struct NotifyReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;

  // "sandbox", "wechat": the path segment of /api/v1/payments/notify/{name}.
  virtual const std::string& name() const = 0;

  // Opens the order and says how the payer pays it (WeChat's h5_url or its
  // JSAPI parameters, Alipay's link, the sandbox's page). Idempotent: the
  // same out_trade_no and amount again is not a second order, and gives a
  // fresh action (providers' links expire; our page asks again). Errors:
  // provider_unavailable, provider_refused.
  virtual Task<PayAction> CreateOrder(const OrderRequest& order) = 0;

  // Errors: provider_order_not_found, provider_unavailable.
  virtual Task<ProviderOrder> QueryOrder(const std::string& out_trade_no) = 0;

  // Closes an unpaid order so it can no longer be paid. False if it was paid
  // first (the payment must then be confirmed, not closed).
  virtual Task<bool> CloseOrder(const std::string& out_trade_no) = 0;

  // Returns amount_fen of a paid order of `total_fen` to the payer (all of
  // it or a part; several refunds under several numbers, never beyond what
  // was paid), and says where the refund stands. Idempotent on
  // out_refund_no: asking again reports the same refund. Errors:
  // provider_refused (not paid, or more than is left),
  // provider_order_not_found, provider_unavailable (try again: the request
  // may or may not have arrived, which the refund number makes harmless).
  virtual Task<RefundState> Refund(const std::string& out_trade_no, const std::string& out_refund_no,
                                   int64_t amount_fen, int64_t total_fen) = 0;

  // Where the refund under out_refund_no stands. Errors:
  // provider_refund_not_found (never asked, or the request was lost before
  // it arrived: ask for it with Refund), provider_unavailable.
  virtual Task<RefundState> QueryRefund(const std::string& out_trade_no, const std::string& out_refund_no) = 0;

  // Checks a notification's signature and age and reads it, from the raw
  // body exactly as it arrived (JSON, or a form: the Content-Type header
  // says which). Errors carry a reason in `detail` for the rejection log:
  // invalid_signature, stale_notification (both 401), invalid_notification
  // (400). A rejected notification is answered with our JSON error, which
  // every provider treats as "deliver again".
  virtual Result<ProviderNotice> VerifyNotification(std::string_view body, const HeaderLookup& header,
                                                    int64_t now_ms) const = 0;

  // The reply to a verified notification that we handled (credited, or a
  // duplicate of one we had): the provider's "received, stop retrying".
  // `outcome` is for whoever reads the reply while debugging.
  virtual NotifyReply Acknowledge(ConfirmOutcome outcome) const = 0;
};

}  // namespace carecity::payments
