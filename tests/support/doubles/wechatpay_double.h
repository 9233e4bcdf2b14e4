// A local WeChat Pay API v3 (docs/design-channels.md sections 4.3 and 7.3), written from WeChat
// Pay's published protocol and not from our provider: it checks our requests as WeChat does
// (Authorization, signature over the raw request, timestamp window, headers, fields and limits),
// answers with WeChat's status codes and {"code","message"[,"detail"]} bodies, signs every 2xx
// answer with the platform key, and posts encrypted, signed notifications to our notify_url.
// Test knobs simulate the payer, notification faults, slow refunds and tampered answers.
//
// Routes (on an HTTPS DoubleServer with SharedPki's certificate):
//   POST /v3/pay/transactions/jsapi                       JSAPI order → {"prepay_id"}
//   POST /v3/pay/transactions/h5                          H5 order → {"h5_url"} (points at this double)
//   GET  /v3/pay/transactions/out-trade-no/{no}?mchid=    query → transaction JSON
//   POST /v3/pay/transactions/out-trade-no/{no}/close     close → 204
//   POST /v3/refund/domestic/refunds                      refund → refund JSON
//   GET  /v3/refund/domestic/refunds/{out_refund_no}      refund query → refund JSON
//   POST /double/jsapi/pay                                the WeChat client's getBrandWCPayRequest
//   GET  /double/h5/{prepay_id}, POST .../pay             the H5 cashier page (确认支付 / 取消)
//
// Refusals (codes are what a merchant may branch on; messages are informative only):
//   400 INVALID_REQUEST   Accept or User-Agent missing/empty, a body without Content-Type
//                         application/json; refund over the refundable amount, amount.total not the
//                         order's, a reused out_refund_no with other amounts, a 51st refund
//   401 SIGN_ERROR        Authorization missing, malformed or of another scheme; mchid or serial_no
//                         not ours; timestamp more than 300 s off; signature does not verify
//   400 PARAM_ERROR       a field missing, mistyped or out of its limits; detail {field (JSON pointer
//                         for body fields, the name for query ones), value, issue, location}
//   400 APPID_MCHID_NOT_MATCH  appid not Options::appid
//   403 OUT_TRADE_NO_USED an out_trade_no reused with other parameters or through the other order API
//   400 ORDERPAID         re-order or close of a paid order;  400 ORDER_CLOSED  re-order of a closed one
//   404 ORDER_NOT_EXIST   query of an unknown order (close of an unknown order is 204, as WeChat's is)
//   404 RESOURCE_NOT_EXISTS  refund of an unknown or unpaid order; query of an unknown refund
//   429 FREQUENCY_LIMITED a refund of an order within 60 s of its previous refund
// An unpaid order past its time_expire stays NOTPAY (WeChat closes it only on request) but cannot
// be paid. Error answers carry Request-ID and no Wechatpay-* headers.
//
// Thread-safety: every public member may be called from any thread. Handlers run on the
// DoubleServer's thread and never block on a delivery: notifications they cause are posted from
// threads of their own (WaitForDeliveries joins them). Pay and Redeliver deliver before returning.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "doubles/double_server.h"

namespace doubles {

// Addition: the message a request is signed over (W1), five lines each ending in "\n":
// METHOD, the request target exactly as on the request line, timestamp, nonce, body (empty for
// GET). The double checks every request with it; exposed for the known-answer test.
std::string WechatPayRequestMessage(std::string_view method, std::string_view target, std::string_view timestamp,
                                    std::string_view nonce, std::string_view body);

class WechatPayDouble {
 public:
  struct Options {
    std::string mchid = "1900000001";
    std::string appid = "wxd678efh567hg6787";
    // The serial_no our requests must name (compared exactly: WeChat prints serials as upper-case
    // hex without leading zeros).
    std::string merchant_cert_serial = "3775B6A45ACD588826D15E583A95F5DD2AB3B1F0";
    std::string merchant_public_key_pem;  // verifies our requests' signatures and paySign (required)
    std::string apiv3_key;                // 32 ASCII chars: encrypts notification resources (required)
    // How the platform signs answers and notifications:
    //   kPublicKey   the WeChat Pay public key (Wechatpay-Serial = platform_public_key_id()).
    //   kCertificate the platform certificate (Wechatpay-Serial = platform_certificate_serial()).
    //   kSwitchover  addition: WeChat's switchover window. Answers follow the request's
    //                Wechatpay-Serial header (the public key id → public key, anything else or
    //                none → certificate); notifications alternate certificate, public key, ...
    enum class Mode { kPublicKey, kCertificate, kSwitchover } mode = Mode::kPublicKey;
    // Addition: WeChat prints a certificate serial as upper-case hex without leading zeros, while
    // OpenSSL's BN_bn2hex keeps a leading zero nibble. By default the platform certificate is
    // issued until its serial has none (so tests do not flake 1 run in 17); true issues it until
    // it has one, to test that the merchant compares serials as WeChat prints them.
    bool platform_serial_with_leading_zero = false;
  };

  // Starts an HTTPS DoubleServer (SharedPki) and makes the platform key pair, its public key id,
  // and a platform certificate (with its own key) issued by SharedPki's CA. Throws
  // std::invalid_argument if merchant_public_key_pem is not a PEM public key or apiv3_key is not
  // 32 bytes; std::runtime_error if OpenSSL fails.
  explicit WechatPayDouble(Options options);
  // Stops the server first (no new work), then joins every delivery thread.
  ~WechatPayDouble();
  WechatPayDouble(const WechatPayDouble&) = delete;
  WechatPayDouble& operator=(const WechatPayDouble&) = delete;

  std::string base_url() const;  // the DoubleServer's https://localhost:<port>
  DoubleServer& server();        // for requests(), faults, SetClock

  // The platform's verification material, as WeChat gives it to merchants.
  const std::string& platform_public_key_pem() const;      // public-key mode ("BEGIN PUBLIC KEY")
  const std::string& platform_public_key_id() const;       // "PUB_KEY_ID_01" + digits
  const std::string& platform_certificate_pem() const;     // certificate mode
  const std::string& platform_certificate_serial() const;  // upper-case hex, no leading zeros
  // Switches the signing mode at runtime (WeChat's switchover); applies to the next answer.
  void set_mode(Options::Mode mode);

  // Openids that JSAPI orders may name (an unknown openid → 400 PARAM_ERROR on /payer/openid).
  void AddOpenid(const std::string& openid);

  // ---- What a payer does ----
  // The payer pays order `out_trade_no` (it must exist, be NOTPAY, not closed, and not past its
  // time_expire by server().now_ms()): trade_state becomes SUCCESS with a transaction_id and
  // success_time, and a TRANSACTION.SUCCESS notification goes to the order's notify_url (shaped
  // by the armed NotifyFaults). Delivers, and waits for every copy, before returning. Returns
  // false, changing nothing, if the order cannot be paid. Must not be called from a handler.
  bool Pay(const std::string& out_trade_no);

  // ---- Notifications ----
  struct NotifyFaults {
    int duplicates = 0;             // extra identical deliveries (sent concurrently from separate threads)
    bool tamper_signature = false;  // flip a byte of Wechatpay-Signature
    bool wrong_serial = false;      // Wechatpay-Serial names a key the merchant does not have (signature valid)
    bool stale_timestamp = false;   // Wechatpay-Timestamp 6 minutes in the past (signature valid over it)
    bool undecryptable = false;     // resource encrypted with another key (signature valid)
    bool lose = false;              // do not deliver at all (Redeliver still can)
  };
  // Applies to the next notification built (payment or refund) only, then resets.
  void SetNotifyFaults(NotifyFaults faults);
  // Every delivery attempt made: the raw body, the headers sent (besides the client's Host,
  // User-Agent, Content-Length and Connection), and our server's answer (status 0 and `error`
  // when the connection failed).
  struct Delivery {
    std::string url, body;
    std::vector<std::pair<std::string, std::string>> headers;
    int status = 0;
    std::string answer;
    std::string error;
  };
  std::vector<Delivery> deliveries() const;
  // Re-sends the last notification made for this order (payment or refund): the body WeChat built
  // (same id and resource; faults of the first attempt do not carry over), with a fresh
  // timestamp, nonce and signature under the current mode: WeChat's retry when our answer was
  // not 2xx. Synchronous; returns the Delivery (recorded too), or one with `error` set when the
  // order has no notification.
  Delivery Redeliver(const std::string& out_trade_no);
  // Addition: blocks until every delivery started by a handler has finished.
  void WaitForDeliveries();

  // ---- Refunds ----
  // The refund `out_refund_no` (made later, or already made and still PROCESSING) answers
  // PROCESSING at creation and to its next `processing_queries` queries; the query after that
  // answers `final_status` ("SUCCESS" | "CLOSED" | "ABNORMAL"), and a REFUND.<status>
  // notification goes to the refund's notify_url if it gave one. Without this call a refund is
  // SUCCESS at once and its notification is sent. A CLOSED refund gives its amount back to the
  // order's refundable balance. Throws std::invalid_argument for another final_status.
  void SetRefundOutcome(const std::string& out_refund_no, int processing_queries, std::string final_status);

  // ---- State, for assertions ----
  struct Order {
    std::string out_trade_no, kind /*"jsapi"|"h5"*/, trade_state, transaction_id, openid, notify_url, description,
        time_expire;
    int64_t total = 0;
    int64_t refunded = 0;  // refunds applied and not CLOSED
    int times_ordered = 0;
    bool closed_by_merchant = false;
    // Additions: the prepay id both kinds get, the last h5_url handed out, success_time once paid.
    std::string prepay_id, h5_url, success_time;
  };
  std::optional<Order> order(const std::string& out_trade_no) const;
  struct Refund {
    std::string out_refund_no, out_trade_no, refund_id, status;
    int64_t amount = 0;
    int times_requested = 0;
  };
  std::optional<Refund> refund(const std::string& out_refund_no) const;
  int refunds_executed(const std::string& out_trade_no) const;  // distinct refunds made (never 2 for one out_refund_no)

  // ---- Answer tampering ----
  // The next n 2xx answers carry a broken Wechatpay-Signature (the merchant must not act on them).
  void TamperNextAnswers(int n);

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace doubles
