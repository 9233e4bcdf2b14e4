#include "doubles/alipay_double.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>

#include "doubles/client.h"
#include "doubles/common.h"
#include "doubles/test_pki.h"

namespace doubles {
namespace {

namespace json = boost::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view kGatewayPath = "/gateway.do";
constexpr std::string_view kCashierPayPath = "/double/cashier/pay";

constexpr std::string_view kWapPay = "alipay.trade.wap.pay";
constexpr std::string_view kQuery = "alipay.trade.query";
constexpr std::string_view kClose = "alipay.trade.close";
constexpr std::string_view kRefund = "alipay.trade.refund";
constexpr std::string_view kRefundQuery = "alipay.trade.fastpay.refund.query";

// Alipay states no window for `timestamp` beyond its format; the gateway is known to refuse
// clocks far off. 15 minutes keeps a wrong time zone (8 h) or a stale signed link loud.
constexpr int64_t kTimestampWindowMs = 15 * 60 * 1000;
constexpr int64_t kBeijingOffsetS = 8 * 3600;
constexpr int64_t kMsPerS = 1000;

// Limits from the wap.pay / refund pages (characters; our values are ASCII except subject).
constexpr size_t kOutTradeNoMax = 64;
constexpr size_t kOutRequestNoMax = 64;
constexpr size_t kSubjectMaxChars = 256;
constexpr size_t kReasonMaxChars = 256;
constexpr int64_t kMaxAmountFen = 100'000'000LL * 100;  // total_amount range [0.01, 100000000]

// The payer Alipay invents (masked logon id as query and notifications show it).
constexpr std::string_view kBuyerId = "2088102177846880";
constexpr std::string_view kBuyerLogonId = "159****5620";
constexpr std::string_view kOtherAppId = "2021009999999999";

// ---------------------------------------------------------------------------------------------
// OpenSSL, on its own: the doubles share no crypto with the product (design 7.2); the helpers
// shared with the other doubles are in doubles/common.h.

// Starts the message of what the shared helpers throw.
constexpr std::string_view kWho = "alipay_double";

using common::BreakSignature;
using common::HtmlEscape;
using common::LoadPrivateKey;
using common::LoadRsaPublicKey;
using common::PercentDecode;
using common::PkeyPtr;
using common::RandomDigits;
using common::RsaSign;
using common::RsaVerify;

// Alipay's ids use lower-case letters only (WeChat's RandomAlnum takes both cases).
std::string RandomAlnum(size_t n) { return common::RandomFrom(kWho, "0123456789abcdefghijklmnopqrstuvwxyz", n); }

// ---------------------------------------------------------------------------------------------
// Beijing time, as every Alipay time field and `timestamp` is written ("yyyy-MM-dd HH:mm:ss").

std::string BeijingTime(int64_t ms) {
  int64_t s = ms / kMsPerS - ((ms % kMsPerS < 0) ? 1 : 0) + kBeijingOffsetS;
  auto t = static_cast<time_t>(s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

// Exactly "yyyy-MM-dd HH:mm:ss" naming a real instant; the round trip rejects 2026-02-30 etc.
std::optional<int64_t> ParseBeijingTime(std::string_view s) {
  static constexpr std::string_view kShape = "dddd-dd-dd dd:dd:dd";
  if (s.size() != kShape.size()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    bool digit = s[i] >= '0' && s[i] <= '9';
    if ((kShape[i] == 'd') != digit || (kShape[i] != 'd' && s[i] != kShape[i])) {
      return std::nullopt;
    }
  }
  auto num = [&](size_t pos, size_t n) { return std::stoi(std::string(s.substr(pos, n))); };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  int64_t ms = (static_cast<int64_t>(timegm(&tm)) - kBeijingOffsetS) * kMsPerS;
  if (BeijingTime(ms) != s) {
    return std::nullopt;
  }
  return ms;
}

// ---------------------------------------------------------------------------------------------
// Forms and URLs.

// application/x-www-form-urlencoded ('+' is a space, %XX a byte, a broken escape is kept). Later
// duplicates win, as a servlet's getParameter would not; we never send duplicates.
void ParseFormInto(std::string_view s, std::map<std::string, std::string>& out) {
  while (!s.empty()) {
    size_t amp = s.find('&');
    std::string_view pair = s.substr(0, amp);
    s = (amp == std::string_view::npos) ? std::string_view{} : s.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    size_t eq = pair.find('=');
    std::string key = PercentDecode(pair.substr(0, eq), true);
    std::string value = (eq == std::string_view::npos) ? std::string{} : PercentDecode(pair.substr(eq + 1), true);
    out[key] = value;
  }
}

// As Java's URLEncoder (which Alipay's servers use): unreserved are A-Z a-z 0-9 . - * _, a space
// is '+', everything else %XX upper-case over the UTF-8 bytes.
std::string FormEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
        c == '*' || c == '_') {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

// Alipay's signed content: every field but the excluded ones, empty values dropped, sorted by
// key (byte order), "k=v" joined with '&', values as decoded (never URL-encoded).
std::string SignContent(const std::map<std::string, std::string>& params, const std::set<std::string>& excluded) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (v.empty() || excluded.count(k) != 0) {
      continue;
    }
    if (!out.empty()) {
      out.push_back('&');
    }
    out += k + "=" + v;
  }
  return out;
}

size_t Utf8Chars(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// ---------------------------------------------------------------------------------------------
// Amounts: yuan strings, at most two decimals (the docs: "单位为元，精确到小数点后两位").

std::optional<int64_t> ParseAmountFen(std::string_view s) {
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = (dot == std::string_view::npos) ? std::string_view{} : s.substr(dot + 1);
  auto digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 9 || !digits(whole) || !digits(frac) || frac.size() > 2 ||
      (dot != std::string_view::npos && frac.empty())) {
    return std::nullopt;
  }
  int64_t fen = std::stoll(std::string(whole)) * 100;
  if (frac.size() >= 1) {
    fen += (frac[0] - '0') * 10;
  }
  if (frac.size() == 2) {
    fen += frac[1] - '0';
  }
  return fen;
}

std::string FormatFen(int64_t fen) {
  std::string cents = std::to_string(fen % 100);
  return std::to_string(fen / 100) + "." + (cents.size() == 1 ? "0" + cents : cents);
}

std::string ResponseNodeName(std::string_view method) {
  std::string name(method);
  std::replace(name.begin(), name.end(), '.', '_');
  return name + "_response";
}

// A refusal: Alipay's code/msg pair and the detail a merchant branches on.
struct Refusal {
  std::string code, sub_code, sub_msg;
  bool signed_answer = true;
};

std::string CodeMsg(std::string_view code) {
  if (code == "40001") {
    return "Missing Required Arguments";
  }
  if (code == "40002") {
    return "Invalid Arguments";
  }
  if (code == "40004") {
    return "Business Failed";
  }
  if (code == "20000") {
    return "Service Currently Unavailable";
  }
  if (code == "20001") {
    return "Insufficient Token Permissions";
  }
  if (code == "40006") {
    return "Insufficient Permissions";
  }
  return "Success";
}

Refusal Business(std::string sub_code, std::string sub_msg) {
  return Refusal{"40004", std::move(sub_code), std::move(sub_msg), true};
}

Refusal InvalidParameter(const std::string& field, const std::string& why) {
  return Business("ACQ.INVALID_PARAMETER", "参数无效: " + field + " " + why);
}

std::optional<std::string> StringField(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) {
    return std::nullopt;
  }
  return std::string(it->value().get_string());
}

bool IsOutNo(std::string_view s, size_t max) {
  return !s.empty() && s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

// ---------------------------------------------------------------------------------------------

class AlipayDouble::Impl {
 public:
  explicit Impl(Options options);
  ~Impl();

  std::string base_url() const { return server_->base_url(); }
  DoubleServer& server() { return *server_; }
  const std::string& alipay_public_key_pem() const { return alipay_keys_.public_pem; }
  std::string alipay_public_key_bare() const;

  bool Pay(const std::string& out_trade_no);
  int OpenLink(const std::string& pay_url);
  void SetNotifyFaults(NotifyFaults f) {
    std::lock_guard lock(mu_);
    faults_ = f;
  }
  std::vector<Delivery> deliveries() const {
    std::lock_guard lock(mu_);
    return deliveries_;
  }
  Delivery Redeliver(const std::string& out_trade_no);
  void WaitForDeliveries();
  void SetRefundOutcome(const std::string& out_request_no, int processing_queries) {
    std::lock_guard lock(mu_);
    refund_outcomes_[out_request_no] = processing_queries;
  }
  void FailNext(const std::string& method, int n, std::string code, std::string sub_code) {
    std::lock_guard lock(mu_);
    fail_next_[method] = Failure{n, std::move(code), std::move(sub_code)};
  }
  void TamperNextAnswers(int n) {
    std::lock_guard lock(mu_);
    tamper_answers_ = n;
  }
  std::optional<Trade> trade(const std::string& out_trade_no) const;
  int refunds_executed(const std::string& out_trade_no) const;

 private:
  struct RefundState {
    int64_t amount_fen = 0;
    std::string reason, gmt_refund_pay;
    int processing_queries_left = 0;
  };
  struct TradeState {
    Trade pub;
    int64_t total_fen = 0, refunded_fen = 0;
    int64_t expire_ms = 0;  // 0: no time_expire
    std::string gmt_create;
    std::map<std::string, RefundState> refunds;  // by out_request_no
    int refunds_executed = 0;
    Fields notice;  // the payment notification's fields, without notify_time and sign; empty before
  };
  struct Failure {
    int n = 0;
    std::string code, sub_code;
  };
  struct Outgoing {
    std::string url;
    Fields fields;
    bool tamper = false;
    int attempts = 1;
    int copies = 1;
  };

  Response Gateway(const Request& req);
  Response CashierPay(const Request& req);
  std::optional<Refusal> CheckCommon(const std::map<std::string, std::string>& params) const;
  // Each handler runs under mu_ and returns the response object's fields or a refusal.
  using Result = std::variant<json::object, Refusal>;
  Response WapPayLocked(const std::map<std::string, std::string>& params, const json::object& biz);
  Result QueryLocked(const json::object& biz);
  Result CloseLocked(const json::object& biz);
  Result RefundLocked(const json::object& biz);
  Result RefundQueryLocked(const json::object& biz);
  // nullptr with `refusal` set when the biz names no opened trade.
  TradeState* FindTradeLocked(const json::object& biz, std::optional<Refusal>& refusal);
  void ExpireLocked(TradeState& t);
  std::optional<Outgoing> PayLocked(const std::string& out_trade_no);

  Response Answer(const std::string& node, const json::object& body, bool signed_answer);
  Response RefusalAnswer(const std::string& node, const Refusal& r);
  static Response RefusalPage(const Refusal& r);

  void Dispatch(Outgoing outgoing, bool wait);
  void DeliverWithRetries(const Outgoing& outgoing);
  Delivery DeliverOnce(const std::string& url, Fields fields, bool tamper);

  Options options_;
  PkeyPtr app_key_;
  KeyPair alipay_keys_;
  PkeyPtr alipay_key_;
  std::unique_ptr<DoubleServer> server_;

  mutable std::mutex mu_;
  std::map<std::string, TradeState> trades_;        // GUARDED_BY(mu_), by out_trade_no
  NotifyFaults faults_;                             // GUARDED_BY(mu_)
  std::vector<Delivery> deliveries_;                // GUARDED_BY(mu_)
  std::map<std::string, int> refund_outcomes_;      // GUARDED_BY(mu_), by out_request_no
  std::map<std::string, Failure> fail_next_;        // GUARDED_BY(mu_), by method
  int tamper_answers_ = 0;                          // GUARDED_BY(mu_)

  std::mutex threads_mu_;
  std::vector<std::thread> threads_;  // GUARDED_BY(threads_mu_)
};

AlipayDouble::Impl::Impl(Options options) : options_(std::move(options)) {
  app_key_ = LoadRsaPublicKey(kWho, options_.app_public_key_pem);
  if (!app_key_) {
    throw std::invalid_argument("alipay_double: app_public_key_pem is not a PEM RSA public key");
  }
  alipay_keys_ = NewRsaKeyPair();
  alipay_key_ = LoadPrivateKey(kWho, alipay_keys_.private_pem);
  server_ = std::make_unique<DoubleServer>();
  for (const char* method : {"GET", "POST"}) {
    server_->Route(method, std::string(kGatewayPath), [this](const Request& r) { return Gateway(r); });
  }
  server_->Route("POST", std::string(kCashierPayPath), [this](const Request& r) { return CashierPay(r); });
}

AlipayDouble::Impl::~Impl() {
  server_.reset();  // no handler can start a delivery any more
  WaitForDeliveries();
}

std::string AlipayDouble::Impl::alipay_public_key_bare() const {
  std::string bare;
  const std::string& pem = alipay_keys_.public_pem;
  size_t pos = 0;
  while (pos < pem.size()) {
    size_t end = pem.find('\n', pos);
    std::string line = pem.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = (end == std::string::npos) ? pem.size() : end + 1;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.rfind("-----", 0) != 0) {
      bare += line;
    }
  }
  return bare;
}

// ---- Answers ----------------------------------------------------------------------------------

Response AlipayDouble::Impl::Answer(const std::string& node, const json::object& body, bool signed_answer) {
  // The sign covers exactly the bytes between the node's ':' and ",\"sign\"" (the merchant must
  // cut them from what it received); boost::json writes UTF-8 as is, as Alipay does.
  std::string text = json::serialize(body);
  std::string out = "{\"" + node + "\":" + text;
  if (signed_answer) {
    std::string sign = RsaSign(kWho, alipay_key_.get(), text);
    if (tamper_answers_ > 0) {
      --tamper_answers_;
      sign = BreakSignature(sign);
    }
    out += ",\"sign\":\"" + sign + "\"";
  }
  out += "}";
  Response res;
  res.body = std::move(out);
  res.content_type = "application/json;charset=utf-8";
  return res;
}

Response AlipayDouble::Impl::RefusalAnswer(const std::string& node, const Refusal& r) {
  json::object body{{"code", r.code}, {"msg", CodeMsg(r.code)}, {"sub_code", r.sub_code}, {"sub_msg", r.sub_msg}};
  return Answer(node, body, r.signed_answer);
}

// A refused wap.pay link: Alipay shows an error page naming the code; the 400 lets OpenLink and
// tests tell it from a cashier page.
Response AlipayDouble::Impl::RefusalPage(const Refusal& r) {
  Response res;
  res.status = 400;
  res.content_type = "text/html;charset=utf-8";
  res.body = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>支付宝 - 错误</title></head><body>"
             "<h1>抱歉，您的操作出现错误</h1><p>错误代码 <span id=\"code\">" +
             HtmlEscape(r.code) + "</span> <span id=\"sub_code\">" + HtmlEscape(r.sub_code) +
             "</span></p><p id=\"sub_msg\">" + HtmlEscape(r.sub_msg) + "</p></body></html>";
  return res;
}

// ---- The gateway ------------------------------------------------------------------------------

std::optional<Refusal> AlipayDouble::Impl::CheckCommon(const std::map<std::string, std::string>& params) const {
  auto get = [&](const char* k) -> std::string {
    auto it = params.find(k);
    return it == params.end() ? std::string{} : it->second;
  };
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  // Without a known app the gateway has no key pair to sign with, so these go out unsigned.
  if (get("app_id").empty()) {
    return Refusal{"40001", "isv.missing-app-id", "缺少AppID参数", false};
  }
  if (get("app_id") != options_.app_id) {
    return Refusal{"40002", "isv.invalid-app-id", "无效的AppID参数", false};
  }
  if (get("sign_type").empty()) {
    return Refusal{"40001", "isv.missing-signature-type", "缺少签名类型参数"};
  }
  if (get("sign_type") != "RSA2") {
    return Refusal{"40002", "isv.invalid-signature-type", "无效签名类型"};
  }
  if (get("sign").empty()) {
    return Refusal{"40001", "isv.missing-signature", "缺少签名参数"};
  }
  if (get("timestamp").empty()) {
    return Refusal{"40001", "isv.missing-timestamp", "缺少时间戳参数"};
  }
  std::optional<int64_t> ts = ParseBeijingTime(get("timestamp"));
  int64_t now = server_->now_ms();
  if (!ts || *ts > now + kTimestampWindowMs || *ts < now - kTimestampWindowMs) {
    return Refusal{"40002", "isv.invalid-timestamp", "非法的时间戳参数"};
  }
  if (get("version").empty()) {
    return Refusal{"40001", "isv.missing-version", "缺少版本参数"};
  }
  if (get("version") != "1.0") {
    return Refusal{"40002", "isv.invalid-parameter", "参数无效: version"};
  }
  // A missing charset makes the gateway read the parameters as GBK, which garbles a Chinese
  // subject; we always mean utf-8, so anything else is refused here.
  if (lower(get("charset")) != "utf-8") {
    return Refusal{"40002", "isv.invalid-charset", "字符集错误"};
  }
  if (params.count("format") != 0 && lower(get("format")) != "json") {
    return Refusal{"40002", "isv.invalid-format", "无效的数据格式"};
  }
  std::string content = SignContent(params, {"sign"});
  if (!RsaVerify(kWho, app_key_.get(), content, get("sign"))) {
    // Alipay echoes the content it verified, which is how merchants debug this.
    return Refusal{"40002", "isv.invalid-signature",
                   "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：" + content};
  }
  return std::nullopt;
}

Response AlipayDouble::Impl::Gateway(const Request& req) {
  std::map<std::string, std::string> params;
  ParseFormInto(req.query, params);
  auto ct = req.headers.find("content-type");
  if (!req.body.empty() && ct != req.headers.end() &&
      ct->second.rfind("application/x-www-form-urlencoded", 0) == 0) {
    ParseFormInto(req.body, params);
  }
  auto method_it = params.find("method");
  if (method_it == params.end() || method_it->second.empty()) {
    return Answer("error_response",
                  json::object{{"code", "40001"}, {"msg", CodeMsg("40001")}, {"sub_code", "isv.missing-method"},
                               {"sub_msg", "缺少方法名参数"}},
                  false);
  }
  const std::string method = method_it->second;
  if (method != kWapPay && method != kQuery && method != kClose && method != kRefund && method != kRefundQuery) {
    return Answer("error_response",
                  json::object{{"code", "40002"}, {"msg", CodeMsg("40002")}, {"sub_code", "isv.invalid-method"},
                               {"sub_msg", "不存在的方法名"}},
                  false);
  }
  const bool page = method == kWapPay;
  const std::string node = ResponseNodeName(method);

  std::lock_guard lock(mu_);
  if (std::optional<Refusal> refused = CheckCommon(params)) {
    return page ? RefusalPage(*refused) : RefusalAnswer(node, *refused);
  }
  if (auto it = fail_next_.find(method); it != fail_next_.end() && it->second.n > 0) {
    --it->second.n;
    Refusal r{it->second.code, it->second.sub_code, "模拟失败"};
    return page ? RefusalPage(r) : RefusalAnswer(node, r);
  }
  json::error_code ec;
  json::value biz_value = json::parse(params["biz_content"], ec);
  if (ec || !biz_value.is_object()) {
    Refusal r{"40002", "isv.invalid-parameter", "参数无效: biz_content 不是 JSON 对象"};
    return page ? RefusalPage(r) : RefusalAnswer(node, r);
  }
  const json::object& biz = biz_value.get_object();
  if (page) {
    return WapPayLocked(params, biz);
  }
  Result result = method == kQuery    ? QueryLocked(biz)
                  : method == kClose  ? CloseLocked(biz)
                  : method == kRefund ? RefundLocked(biz)
                                      : RefundQueryLocked(biz);
  if (const Refusal* r = std::get_if<Refusal>(&result)) {
    return RefusalAnswer(node, *r);
  }
  return Answer(node, std::get<json::object>(result), true);
}

Response AlipayDouble::Impl::WapPayLocked(const std::map<std::string, std::string>& params, const json::object& biz) {
  std::optional<std::string> out_trade_no = StringField(biz, "out_trade_no");
  if (!out_trade_no || !IsOutNo(*out_trade_no, kOutTradeNoMax)) {
    return RefusalPage(InvalidParameter("out_trade_no", "必填，64 个字符以内，仅支持字母、数字、下划线"));
  }
  std::optional<std::string> amount = StringField(biz, "total_amount");
  std::optional<int64_t> fen = amount ? ParseAmountFen(*amount) : std::nullopt;
  if (!fen || *fen <= 0 || *fen > kMaxAmountFen) {
    return RefusalPage(InvalidParameter("total_amount", "单位为元，精确到小数点后两位，取值范围[0.01,100000000]"));
  }
  std::optional<std::string> subject = StringField(biz, "subject");
  if (!subject || subject->empty() || Utf8Chars(*subject) > kSubjectMaxChars ||
      subject->find_first_of("/=&") != std::string::npos) {
    return RefusalPage(InvalidParameter("subject", "必填，256 个字符以内，不可使用特殊字符 / = &"));
  }
  std::optional<std::string> product_code = StringField(biz, "product_code");
  if (product_code != "QUICK_WAP_WAY") {
    return RefusalPage(InvalidParameter("product_code", "必须为 QUICK_WAP_WAY"));
  }
  int64_t expire_ms = 0;
  std::string time_expire;
  if (biz.contains("time_expire")) {
    std::optional<std::string> te = StringField(biz, "time_expire");
    std::optional<int64_t> ms = te ? ParseBeijingTime(*te) : std::nullopt;
    if (!ms) {
      return RefusalPage(InvalidParameter("time_expire", "格式为 yyyy-MM-dd HH:mm:ss"));
    }
    expire_ms = *ms;
    time_expire = *te;
  }
  std::string quit_url;
  if (biz.contains("quit_url")) {
    std::optional<std::string> q = StringField(biz, "quit_url");
    if (!q) {
      return RefusalPage(InvalidParameter("quit_url", "必须为字符串"));
    }
    quit_url = *q;
  }
  auto param = [&](const char* k) {
    auto it = params.find(k);
    return it == params.end() ? std::string{} : it->second;
  };

  int64_t now = server_->now_ms();
  auto it = trades_.find(*out_trade_no);
  if (it != trades_.end()) {
    TradeState& t = it->second;
    ExpireLocked(t);
    if (t.pub.trade_status == "TRADE_SUCCESS" || t.pub.trade_status == "TRADE_FINISHED") {
      return RefusalPage(Business("ACQ.TRADE_HAS_SUCCESS", "交易已被支付"));
    }
    if (t.pub.trade_status == "TRADE_CLOSED") {
      return RefusalPage(Business("ACQ.TRADE_HAS_CLOSE", "交易已经关闭"));
    }
    if (t.total_fen != *fen || t.pub.subject != *subject) {
      return RefusalPage(Business("ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改"));
    }
  } else {
    TradeState t;
    t.pub.out_trade_no = *out_trade_no;
    // 28 digits: date, Alipay's channel digits, a serial.
    t.pub.trade_no = BeijingTime(now).substr(0, 10) + "22001" + RandomDigits(kWho, 13);
    t.pub.trade_no.erase(std::remove(t.pub.trade_no.begin(), t.pub.trade_no.end(), '-'), t.pub.trade_no.end());
    t.pub.trade_status = "WAIT_BUYER_PAY";
    t.pub.subject = *subject;
    t.pub.total_amount = FormatFen(*fen);
    t.pub.refunded_amount = "0.00";
    t.total_fen = *fen;
    t.gmt_create = BeijingTime(now);
    it = trades_.emplace(*out_trade_no, std::move(t)).first;
  }
  TradeState& t = it->second;
  // The latest opening's URLs and expiry are the ones Alipay acts on.
  t.pub.notify_url = param("notify_url");
  t.pub.return_url = param("return_url");
  t.pub.time_expire = time_expire;
  t.pub.quit_url = quit_url;
  t.expire_ms = expire_ms;
  ++t.pub.times_opened;

  Response res;
  res.content_type = "text/html;charset=utf-8";
  std::string cancel = quit_url.empty() ? std::string("#") : HtmlEscape(quit_url);
  res.body = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>支付宝 - 收银台</title></head><body>"
             "<h1>确认付款</h1><p id=\"subject\">" +
             HtmlEscape(t.pub.subject) + "</p><p id=\"total_amount\">¥" + t.pub.total_amount +
             "</p><form method=\"post\" action=\"" + std::string(kCashierPayPath) +
             "?out_trade_no=" + FormEncode(t.pub.out_trade_no) +
             "\"><button type=\"submit\">付款</button></form><a id=\"cancel\" href=\"" + cancel +
             "\">取消</a></body></html>";
  return res;
}

void AlipayDouble::Impl::ExpireLocked(TradeState& t) {
  if (t.pub.trade_status == "WAIT_BUYER_PAY" && t.expire_ms != 0 && server_->now_ms() > t.expire_ms) {
    t.pub.trade_status = "TRADE_CLOSED";
  }
}

AlipayDouble::Impl::TradeState* AlipayDouble::Impl::FindTradeLocked(const json::object& biz,
                                                                      std::optional<Refusal>& refusal) {
  std::optional<std::string> out_trade_no = StringField(biz, "out_trade_no");
  std::optional<std::string> trade_no = StringField(biz, "trade_no");
  if ((!out_trade_no || out_trade_no->empty()) && (!trade_no || trade_no->empty())) {
    refusal = InvalidParameter("out_trade_no", "与 trade_no 不能同时为空");
    return nullptr;
  }
  for (auto& [key, t] : trades_) {
    // trade_no wins when both are given, as the docs say.
    bool match = (trade_no && !trade_no->empty()) ? t.pub.trade_no == *trade_no : key == *out_trade_no;
    if (match) {
      ExpireLocked(t);
      return &t;
    }
  }
  refusal = Business("ACQ.TRADE_NOT_EXIST", "交易不存在");
  return nullptr;
}

AlipayDouble::Impl::Result AlipayDouble::Impl::QueryLocked(const json::object& biz) {
  std::optional<Refusal> refusal;
  TradeState* t = FindTradeLocked(biz, refusal);
  if (t == nullptr) {
    return *refusal;
  }
  bool paid = !t->pub.gmt_payment.empty();
  json::object o{{"code", "10000"}, {"msg", "Success"}};
  if (paid) {
    o["buyer_logon_id"] = kBuyerLogonId;
    o["buyer_pay_amount"] = t->pub.total_amount;
    o["buyer_user_id"] = kBuyerId;
    o["invoice_amount"] = t->pub.total_amount;
  }
  o["out_trade_no"] = t->pub.out_trade_no;
  if (paid) {
    o["point_amount"] = "0.00";
    o["receipt_amount"] = t->pub.total_amount;
    o["send_pay_date"] = t->pub.gmt_payment;
  }
  o["total_amount"] = t->pub.total_amount;
  o["trade_no"] = t->pub.trade_no;
  o["trade_status"] = t->pub.trade_status;
  return o;
}

AlipayDouble::Impl::Result AlipayDouble::Impl::CloseLocked(const json::object& biz) {
  std::optional<Refusal> refusal;
  TradeState* t = FindTradeLocked(biz, refusal);
  if (t == nullptr) {
    return *refusal;
  }
  if (t->pub.trade_status == "TRADE_SUCCESS" || t->pub.trade_status == "TRADE_FINISHED") {
    return Business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
  }
  if (t->pub.trade_status == "WAIT_BUYER_PAY") {
    t->pub.trade_status = "TRADE_CLOSED";
    t->pub.closed_by_merchant = true;
  }
  return json::object{{"code", "10000"}, {"msg", "Success"}, {"out_trade_no", t->pub.out_trade_no},
                      {"trade_no", t->pub.trade_no}};
}

AlipayDouble::Impl::Result AlipayDouble::Impl::RefundLocked(const json::object& biz) {
  std::optional<std::string> amount = StringField(biz, "refund_amount");
  std::optional<int64_t> fen = amount ? ParseAmountFen(*amount) : std::nullopt;
  if (!fen || *fen <= 0) {
    return InvalidParameter("refund_amount", "单位为元，精确到小数点后两位，大于0");
  }
  std::string reason;
  if (biz.contains("refund_reason")) {
    std::optional<std::string> r = StringField(biz, "refund_reason");
    if (!r || Utf8Chars(*r) > kReasonMaxChars) {
      return InvalidParameter("refund_reason", "256 个字符以内");
    }
    reason = *r;
  }
  std::optional<Refusal> refusal;
  TradeState* t = FindTradeLocked(biz, refusal);
  if (t == nullptr) {
    return *refusal;
  }
  // Without out_request_no Alipay takes the trade's out_trade_no (a single full refund).
  std::string out_request_no = t->pub.out_trade_no;
  if (biz.contains("out_request_no")) {
    std::optional<std::string> r = StringField(biz, "out_request_no");
    if (!r || r->empty() || r->size() > kOutRequestNoMax) {
      return InvalidParameter("out_request_no", "64 个字符以内");
    }
    out_request_no = *r;
  }
  bool fund_change = true;
  auto armed = refund_outcomes_.find(out_request_no);
  auto existing = t->refunds.find(out_request_no);
  if (existing != t->refunds.end()) {
    if (existing->second.amount_fen != *fen) {
      return Business("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");
    }
    // The same request again: the same refund, nothing moves this time.
    fund_change = false;
    if (armed != refund_outcomes_.end()) {
      existing->second.processing_queries_left = armed->second;
      refund_outcomes_.erase(armed);
    }
  } else {
    if (t->pub.trade_status == "WAIT_BUYER_PAY") {
      return Business("ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
    }
    if (t->pub.trade_status == "TRADE_CLOSED" || t->pub.trade_status == "TRADE_FINISHED") {
      return Business("ACQ.TRADE_HAS_CLOSE", "交易已经关闭");
    }
    if (*fen > t->total_fen - t->refunded_fen) {
      return Business("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");
    }
    RefundState r;
    r.amount_fen = *fen;
    r.reason = reason;
    r.gmt_refund_pay = BeijingTime(server_->now_ms());
    if (armed != refund_outcomes_.end()) {
      r.processing_queries_left = armed->second;
      refund_outcomes_.erase(armed);
      fund_change = false;
    }
    t->refunds.emplace(out_request_no, r);
    t->refunded_fen += *fen;
    ++t->refunds_executed;
    t->pub.refunded_amount = FormatFen(t->refunded_fen);
    if (t->refunded_fen == t->total_fen) {
      t->pub.trade_status = "TRADE_CLOSED";  // a fully refunded trade reads closed
    }
  }
  const RefundState& r = t->refunds.at(out_request_no);
  return json::object{{"code", "10000"},
                      {"msg", "Success"},
                      {"buyer_logon_id", kBuyerLogonId},
                      {"buyer_user_id", kBuyerId},
                      {"fund_change", fund_change ? "Y" : "N"},
                      {"gmt_refund_pay", r.gmt_refund_pay},
                      {"out_trade_no", t->pub.out_trade_no},
                      {"refund_fee", FormatFen(t->refunded_fen)},
                      {"send_back_fee", FormatFen(t->refunded_fen)},
                      {"trade_no", t->pub.trade_no}};
}

AlipayDouble::Impl::Result AlipayDouble::Impl::RefundQueryLocked(const json::object& biz) {
  std::optional<std::string> out_request_no = StringField(biz, "out_request_no");
  if (!out_request_no || out_request_no->empty()) {
    return InvalidParameter("out_request_no", "必填");
  }
  std::optional<Refusal> refusal;
  TradeState* t = FindTradeLocked(biz, refusal);
  if (t == nullptr) {
    return *refusal;
  }
  json::object o{{"code", "10000"}, {"msg", "Success"}};
  auto it = t->refunds.find(*out_request_no);
  // Alipay: code 10000 only means the query ran; no refund data means "not received or not
  // successful" (unknown or still processing), so neither refund_status nor refund_amount.
  if (it == t->refunds.end() || it->second.processing_queries_left > 0) {
    if (it != t->refunds.end()) {
      --it->second.processing_queries_left;
    }
    o["out_request_no"] = *out_request_no;
    o["out_trade_no"] = t->pub.out_trade_no;
    o["trade_no"] = t->pub.trade_no;
    return o;
  }
  o["out_request_no"] = *out_request_no;
  o["out_trade_no"] = t->pub.out_trade_no;
  o["refund_amount"] = FormatFen(it->second.amount_fen);
  if (!it->second.reason.empty()) {
    o["refund_reason"] = it->second.reason;
  }
  o["refund_status"] = "REFUND_SUCCESS";
  o["total_amount"] = t->pub.total_amount;
  o["trade_no"] = t->pub.trade_no;
  return o;
}

// ---- The payer --------------------------------------------------------------------------------

std::optional<AlipayDouble::Impl::Outgoing> AlipayDouble::Impl::PayLocked(const std::string& out_trade_no) {
  auto it = trades_.find(out_trade_no);
  if (it == trades_.end()) {
    return std::nullopt;
  }
  TradeState& t = it->second;
  ExpireLocked(t);
  if (t.pub.trade_status != "WAIT_BUYER_PAY") {
    return std::nullopt;
  }
  t.pub.trade_status = "TRADE_SUCCESS";
  t.pub.gmt_payment = BeijingTime(server_->now_ms());

  NotifyFaults f = faults_;
  faults_ = NotifyFaults{};
  std::string app_id = f.wrong_app_id ? std::string(kOtherAppId) : options_.app_id;
  std::string fund_bill_list = "[{\"amount\":\"" + t.pub.total_amount + "\",\"fundChannel\":\"ALIPAYACCOUNT\"}]";
  // Deliberately not in key order: the receiver must sort, not trust the order of the body.
  t.notice = Fields{{"gmt_create", t.gmt_create},
                    {"charset", "utf-8"},
                    {"seller_id", options_.seller_id},
                    {"subject", t.pub.subject},
                    {"buyer_id", std::string(kBuyerId)},
                    {"invoice_amount", t.pub.total_amount},
                    {"notify_id", RandomDigits(kWho, 4) + RandomAlnum(30)},
                    {"fund_bill_list", fund_bill_list},
                    {"notify_type", "trade_status_sync"},
                    {"trade_status", t.pub.trade_status},
                    {"receipt_amount", t.pub.total_amount},
                    {"buyer_pay_amount", t.pub.total_amount},
                    {"app_id", app_id},
                    {"sign_type", "RSA2"},
                    {"version", "1.0"},
                    {"out_trade_no", t.pub.out_trade_no},
                    {"total_amount", t.pub.total_amount},
                    {"trade_no", t.pub.trade_no},
                    {"auth_app_id", app_id},
                    {"buyer_logon_id", std::string(kBuyerLogonId)},
                    {"point_amount", "0.00"},
                    {"gmt_payment", t.pub.gmt_payment}};
  Outgoing out;
  out.url = t.pub.notify_url;
  out.fields = t.notice;
  if (f.empty_values_present) {
    out.fields.emplace_back("body", "");
    out.fields.emplace_back("passback_params", "");
  }
  out.tamper = f.tamper_signature;
  out.attempts = std::max(1, f.max_attempts);
  out.copies = f.lose || out.url.empty() ? 0 : 1 + std::max(0, f.duplicates);
  return out;
}

bool AlipayDouble::Impl::Pay(const std::string& out_trade_no) {
  std::optional<Outgoing> out;
  {
    std::lock_guard lock(mu_);
    out = PayLocked(out_trade_no);
  }
  if (!out) {
    return false;
  }
  Dispatch(std::move(*out), true);
  return true;
}

Response AlipayDouble::Impl::CashierPay(const Request& req) {
  std::map<std::string, std::string> q;
  ParseFormInto(req.query, q);
  std::optional<Outgoing> out;
  std::string return_url;
  {
    std::lock_guard lock(mu_);
    out = PayLocked(q["out_trade_no"]);
    if (out) {
      return_url = trades_.at(q["out_trade_no"]).pub.return_url;
    }
  }
  Response res;
  res.content_type = "text/html;charset=utf-8";
  if (!out) {
    res.status = 400;
    res.body = "<!DOCTYPE html><html><body><p>交易不可支付</p></body></html>";
    return res;
  }
  Dispatch(std::move(*out), false);  // a handler must not wait on our own server's peers
  res.body = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>支付成功</p><a href=\"" +
             HtmlEscape(return_url) + "\">返回商家</a></body></html>";
  return res;
}

int AlipayDouble::Impl::OpenLink(const std::string& pay_url) {
  Request req;
  req.method = "GET";
  size_t scheme = pay_url.find("://");
  size_t path_at = pay_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  req.target = path_at == std::string::npos ? "/" : pay_url.substr(path_at);
  size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  req.query = q == std::string::npos ? std::string{} : req.target.substr(q + 1);
  if (req.path != kGatewayPath) {
    return 404;
  }
  return Gateway(req).status;
}

// ---- Deliveries -------------------------------------------------------------------------------

AlipayDouble::Delivery AlipayDouble::Impl::DeliverOnce(const std::string& url, Fields fields, bool tamper) {
  fields.emplace_back("notify_time", BeijingTime(server_->now_ms()));
  std::map<std::string, std::string> sorted(fields.begin(), fields.end());
  // Notifications are signed without sign_type (unlike requests), empty values dropped.
  std::string sign = RsaSign(kWho, alipay_key_.get(), SignContent(sorted, {"sign", "sign_type"}));
  fields.insert(fields.begin() + static_cast<std::ptrdiff_t>(fields.size() / 2),
                {"sign", tamper ? BreakSignature(sign) : sign});
  std::string body;
  for (const auto& [k, v] : fields) {
    body += (body.empty() ? "" : "&") + FormEncode(k) + "=" + FormEncode(v);
  }
  ClientResult r = Send("POST", url, body, {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}});
  Delivery d{url, body, r.status, r.body, r.error};
  std::lock_guard lock(mu_);
  deliveries_.push_back(d);
  return d;
}

void AlipayDouble::Impl::DeliverWithRetries(const Outgoing& outgoing) {
  for (int i = 0; i < outgoing.attempts; ++i) {
    Delivery d = DeliverOnce(outgoing.url, outgoing.fields, outgoing.tamper);
    // Alipay stops only on the seven bytes "success" (an HTTP 200 carrying them).
    if (d.error.empty() && d.status == 200 && d.answer == "success") {
      return;
    }
  }
}

void AlipayDouble::Impl::Dispatch(Outgoing outgoing, bool wait) {
  auto shared = std::make_shared<const Outgoing>(std::move(outgoing));
  std::vector<std::thread> started;
  for (int i = 0; i < shared->copies; ++i) {
    started.emplace_back([this, shared] { DeliverWithRetries(*shared); });
  }
  if (wait) {
    for (std::thread& t : started) {
      t.join();
    }
    return;
  }
  std::lock_guard lock(threads_mu_);
  for (std::thread& t : started) {
    threads_.push_back(std::move(t));
  }
}

AlipayDouble::Delivery AlipayDouble::Impl::Redeliver(const std::string& out_trade_no) {
  std::string url;
  Fields fields;
  {
    std::lock_guard lock(mu_);
    auto it = trades_.find(out_trade_no);
    if (it == trades_.end() || it->second.notice.empty() || it->second.pub.notify_url.empty()) {
      Delivery none;
      none.error = "no notification was made for trade " + out_trade_no;
      return none;
    }
    url = it->second.pub.notify_url;
    fields = it->second.notice;
  }
  fields.emplace_back("body", "");
  fields.emplace_back("passback_params", "");
  return DeliverOnce(url, fields, false);
}

void AlipayDouble::Impl::WaitForDeliveries() {
  for (;;) {
    std::vector<std::thread> running;
    {
      std::lock_guard lock(threads_mu_);
      running.swap(threads_);
    }
    if (running.empty()) {
      return;
    }
    for (std::thread& t : running) {
      t.join();
    }
  }
}

// ---- State ------------------------------------------------------------------------------------

std::optional<AlipayDouble::Trade> AlipayDouble::Impl::trade(const std::string& out_trade_no) const {
  std::lock_guard lock(mu_);
  auto it = trades_.find(out_trade_no);
  if (it == trades_.end()) {
    return std::nullopt;
  }
  Trade t = it->second.pub;
  if (t.trade_status == "WAIT_BUYER_PAY" && it->second.expire_ms != 0 && server_->now_ms() > it->second.expire_ms) {
    t.trade_status = "TRADE_CLOSED";
  }
  return t;
}

int AlipayDouble::Impl::refunds_executed(const std::string& out_trade_no) const {
  std::lock_guard lock(mu_);
  auto it = trades_.find(out_trade_no);
  return it == trades_.end() ? 0 : it->second.refunds_executed;
}

// ---- The public face --------------------------------------------------------------------------

AlipayDouble::AlipayDouble(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
AlipayDouble::~AlipayDouble() = default;
std::string AlipayDouble::base_url() const { return impl_->base_url(); }
DoubleServer& AlipayDouble::server() { return impl_->server(); }
const std::string& AlipayDouble::alipay_public_key_pem() const { return impl_->alipay_public_key_pem(); }
std::string AlipayDouble::alipay_public_key_bare() const { return impl_->alipay_public_key_bare(); }
bool AlipayDouble::Pay(const std::string& out_trade_no) { return impl_->Pay(out_trade_no); }
int AlipayDouble::OpenLink(const std::string& pay_url) { return impl_->OpenLink(pay_url); }
void AlipayDouble::SetNotifyFaults(NotifyFaults f) { impl_->SetNotifyFaults(f); }
std::vector<AlipayDouble::Delivery> AlipayDouble::deliveries() const { return impl_->deliveries(); }
AlipayDouble::Delivery AlipayDouble::Redeliver(const std::string& out_trade_no) {
  return impl_->Redeliver(out_trade_no);
}
void AlipayDouble::WaitForDeliveries() { impl_->WaitForDeliveries(); }
void AlipayDouble::SetRefundOutcome(const std::string& out_request_no, int processing_queries) {
  impl_->SetRefundOutcome(out_request_no, processing_queries);
}
void AlipayDouble::FailNext(const std::string& method, int n, std::string code, std::string sub_code) {
  impl_->FailNext(method, n, std::move(code), std::move(sub_code));
}
void AlipayDouble::TamperNextAnswers(int n) { impl_->TamperNextAnswers(n); }
std::optional<AlipayDouble::Trade> AlipayDouble::trade(const std::string& out_trade_no) const {
  return impl_->trade(out_trade_no);
}
int AlipayDouble::refunds_executed(const std::string& out_trade_no) const {
  return impl_->refunds_executed(out_trade_no);
}

}  // namespace doubles
