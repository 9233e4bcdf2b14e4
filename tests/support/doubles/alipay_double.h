// A local Alipay OpenAPI gateway (docs/design-channels.md sections 4.4 and 7.3), written from
// Alipay's published protocol and not from our provider: it checks our requests as the gateway
// does (common parameters, RSA2 signature over the sorted non-empty parameters, biz_content
// fields), answers {"<method>_response":{...},"sign":"..."} signed over the exact text of the
// response object, opens a cashier page for signed alipay.trade.wap.pay links, and posts signed,
// form-encoded notifications to the trade's notify_url until it answers exactly "success".
//
// Routes (on an HTTPS DoubleServer with SharedPki's certificate):
//   GET|POST /gateway.do         parameters from the query string and a form body, merged
//                                (a body value wins over a query value of the same name).
//     alipay.trade.wap.pay              → HTML cashier page (付款 / 取消); the trade exists from here
//     alipay.trade.query                → trade_status, trade_no, total_amount, send_pay_date, ...
//     alipay.trade.close                → closes an unpaid trade
//     alipay.trade.refund               → fund_change, refund_fee (cumulative), gmt_refund_pay
//     alipay.trade.fastpay.refund.query → refund_status REFUND_SUCCESS + refund_amount, or neither
//   POST /double/cashier/pay?out_trade_no=  the cashier page's 付款 button (the payer pays)
//
// Refusals of the gateway (HTTP 200, as Alipay; a wap.pay link answers an HTML error page with
// status 400 instead, so OpenLink can tell):
//   error_response 40001 isv.missing-method / 40002 isv.invalid-method   (unsigned)
//   40001 isv.missing-app-id / 40002 isv.invalid-app-id                    (unsigned: no app to sign for)
//   40001 isv.missing-signature-type, isv.missing-signature, isv.missing-timestamp, isv.missing-version
//   40002 isv.invalid-signature-type (not RSA2), isv.invalid-charset (not utf-8), isv.invalid-format
//         (format not JSON), isv.invalid-timestamp (not "yyyy-MM-dd HH:mm:ss" Asia/Shanghai, or more
//         than 15 minutes from server().now_ms()), isv.invalid-parameter (version not 1.0,
//         biz_content not a JSON object), isv.invalid-signature
//   40004 ACQ.INVALID_PARAMETER        a biz field missing, mistyped or out of its limits
//   40004 ACQ.TRADE_NOT_EXIST          query/close/refund/refund query of a trade never opened
//   40004 ACQ.TRADE_STATUS_ERROR       close of a paid trade, refund of an unpaid one
//   40004 ACQ.TRADE_HAS_CLOSE          refund of a closed trade, re-open of a closed one
//   40004 ACQ.TRADE_HAS_SUCCESS        re-open of a paid trade
//   40004 ACQ.CONTEXT_INCONSISTENT     re-open with another total_amount or subject
//   40004 ACQ.REFUND_AMT_NOT_EQUAL_TOTAL  refund over what is left; a reused out_request_no with
//                                      another refund_amount
// An unpaid trade past its time_expire reads TRADE_CLOSED (Alipay closes it on timeout) and
// cannot be paid.
//
// Thread-safety: every public member may be called from any thread. Handlers run on the
// DoubleServer's thread and never block on a delivery: the cashier page's 付款 delivers from a
// thread of its own (WaitForDeliveries joins it). Pay and Redeliver deliver before returning.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "doubles/double_server.h"

namespace doubles {

class AlipayDouble {
 public:
  struct Options {
    std::string app_id = "2021000000000000";
    std::string seller_id = "2088102146225135";
    std::string app_public_key_pem;  // verifies our requests' signatures (required)
  };

  // Starts an HTTPS DoubleServer (SharedPki) and makes Alipay's own RSA-2048 key pair. Throws
  // std::invalid_argument if app_public_key_pem is not a PEM RSA public key; std::runtime_error
  // if OpenSSL fails.
  explicit AlipayDouble(Options options);
  // Stops the server first (no new work), then joins every delivery thread.
  ~AlipayDouble();
  AlipayDouble(const AlipayDouble&) = delete;
  AlipayDouble& operator=(const AlipayDouble&) = delete;

  std::string base_url() const;  // https://localhost:<port>; the gateway is base_url()+"/gateway.do"
  DoubleServer& server();        // for requests(), transport faults, SetClock

  const std::string& alipay_public_key_pem() const;  // "BEGIN PUBLIC KEY" (SubjectPublicKeyInfo)
  // The same key as Alipay's console shows it: the DER base64 on one line, no PEM armour.
  std::string alipay_public_key_bare() const;

  // ---- What a payer does ----
  // The payer pays `out_trade_no`: it must have been opened (a GET or POST of a valid wap.pay
  // link, or OpenLink), be WAIT_BUYER_PAY, and not past time_expire by server().now_ms(). It
  // becomes TRADE_SUCCESS with a trade_no, gmt_payment and send_pay_date, and a trade_status_sync
  // notification goes to its notify_url (if it gave one), shaped by the armed NotifyFaults and
  // retried up to max_attempts times until the answer body is exactly "success". Delivers, and
  // waits for every copy, before returning. Returns false, changing nothing, if the trade cannot
  // be paid. Must not be called from a handler.
  bool Pay(const std::string& out_trade_no);
  // Opens the trade as a browser's GET of `pay_url` would (for tests that skip the browser); the
  // URL's host and port are ignored, its path must be /gateway.do. Returns the HTTP status (200
  // with the cashier page; 400 for a refused link).
  int OpenLink(const std::string& pay_url);

  // ---- Notifications ----
  struct NotifyFaults {
    int duplicates = 0;                // extra identical notifications, sent concurrently
    bool tamper_signature = false;     // a byte of `sign` changed
    bool wrong_app_id = false;         // app_id (and auth_app_id) of another app; signature valid
    bool empty_values_present = true;  // empty-valued fields (body=, passback_params=) sent, as Alipay does
    bool lose = false;                 // not delivered at all (Redeliver still can)
    int max_attempts = 3;              // Alipay's 8 tries in 25 h, compressed to immediate retries
  };
  // Applies to the next notification built only, then resets to the defaults.
  void SetNotifyFaults(NotifyFaults f);
  // Every delivery attempt: the form body sent and our server's answer (status 0 and `error` when
  // the connection failed).
  struct Delivery {
    std::string url, body;
    int status = 0;
    std::string answer;
    std::string error;
  };
  std::vector<Delivery> deliveries() const;
  // Sends the trade's notification once more (same notify_id and fields, faults of the first
  // attempt not carried over), with a fresh notify_time and sign. Synchronous; returns the
  // Delivery (recorded too), or one with `error` set when the trade has no notification.
  Delivery Redeliver(const std::string& out_trade_no);
  // Blocks until every delivery started by a handler has finished.
  void WaitForDeliveries();

  // ---- Refunds ----
  // The next refund under `out_request_no` (new, or a repeat of an earlier one) answers
  // fund_change "N", and the next `processing_queries` refund queries of it answer without
  // refund_status and refund_amount (Alipay: "not received or not yet successful"); the query
  // after that answers REFUND_SUCCESS. The refund's amount counts against the trade from the
  // first request.
  void SetRefundOutcome(const std::string& out_request_no, int processing_queries);
  // The next n calls of `method` (after the common checks and the signature, before any effect)
  // answer `code` ("40004" → msg "Business Failed", "20000" → "Service Currently Unavailable")
  // with `sub_code`, signed.
  void FailNext(const std::string& method, int n, std::string code, std::string sub_code);
  // The next n signed answers carry a broken sign.
  void TamperNextAnswers(int n);

  // ---- State, for assertions ----
  struct Trade {
    std::string out_trade_no, trade_no, trade_status, subject, notify_url, return_url, time_expire;
    std::string total_amount;     // "20.00"
    std::string refunded_amount;  // "0.00" until refunded
    int times_opened = 0;
    bool closed_by_merchant = false;
    // Additions: the quit_url and when it was paid ("yyyy-MM-dd HH:mm:ss", Beijing; empty before).
    std::string quit_url, gmt_payment;
  };
  std::optional<Trade> trade(const std::string& out_trade_no) const;
  // Distinct refunds made (never 2 for one out_request_no).
  int refunds_executed(const std::string& out_trade_no) const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace doubles
