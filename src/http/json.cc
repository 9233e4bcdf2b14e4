#include "http/json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <map>

#include "core/text.h"

namespace carecity::http {
namespace json = boost::json;

Result<json::object> ParseJsonObject(std::string_view body) {
  if (body.empty()) {
    return json::object();
  }
  // Boost.JSON rejects invalid UTF-8 by default; check anyway so the
  // error names the cause.
  if (!IsValidUtf8(body)) {
    return Error::Invalid("invalid_utf8", "", "request body is not valid UTF-8");
  }
  std::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) {
    return Error::Invalid("invalid_json", "", ec.message());
  }
  if (!v.is_object()) {
    return Error::Invalid("invalid_json", "", "expected a JSON object");
  }
  return std::move(v.as_object());
}

const json::value* Fields::Lookup(std::string_view name, bool required) {
  seen_.emplace(name);
  const json::value* v = obj_.if_contains(name);
  if (v == nullptr || v->is_null()) {
    if (required) {
      Fail(Error::Invalid("missing_field", std::string(name)));
    }
    return nullptr;
  }
  return v;
}

std::optional<std::string> Fields::String(std::string_view name, const StringRule& rule) {
  const json::value* v = Lookup(name, rule.required);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_string()) {
    Fail(Error::Invalid("invalid_type", std::string(name), "expected a string"));
    return std::nullopt;
  }
  const json::string& raw = v->as_string();
  auto s = CheckString(std::string_view(raw.data(), raw.size()), std::string(name), rule);
  if (!s.ok()) {
    Fail(std::move(s).error());
    return std::nullopt;
  }
  return std::move(s).value();
}

Result<std::string> CheckString(std::string_view raw, const std::string& name, const StringRule& rule) {
  std::string s = rule.trim ? Trim(raw) : std::string(raw);
  if (!IsValidUtf8(s)) {
    return Error::Invalid("invalid_utf8", name);
  }
  if (HasControlChars(s, rule.multiline)) {
    return Error::Invalid("invalid_characters", name);
  }
  const size_t n = CodePointCount(s);
  if (n > rule.max) {
    return Error::Invalid("too_long", name, fmt::format("at most {} characters", rule.max));
  }
  if (n < rule.min || (rule.required && n == 0)) {
    return Error::Invalid(n == 0 ? "missing_field" : "too_short", name,
                          fmt::format("at least {} characters", std::max<size_t>(rule.min, 1)));
  }
  return s;
}

Result<std::string> QueryString(const Request& req, const std::string& name, const StringRule& rule) {
  return CheckString(req.Query(name).value_or(""), name, rule);
}

std::optional<int64_t> Fields::Int(std::string_view name, const IntRule& rule) {
  const json::value* v = Lookup(name, rule.required);
  if (v == nullptr) {
    return std::nullopt;
  }
  int64_t n = 0;
  if (v->is_int64()) {
    n = v->as_int64();
  } else if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    n = static_cast<int64_t>(v->as_uint64());
  } else {
    Fail(Error::Invalid("invalid_type", std::string(name), "expected an integer"));
    return std::nullopt;
  }
  if (n < rule.min || n > rule.max) {
    Fail(Error::Invalid("out_of_range", std::string(name), fmt::format("between {} and {}", rule.min, rule.max)));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> Fields::Bool(std::string_view name, bool required) {
  const json::value* v = Lookup(name, required);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_bool()) {
    Fail(Error::Invalid("invalid_type", std::string(name), "expected true or false"));
    return std::nullopt;
  }
  return v->as_bool();
}

const json::value* Fields::Raw(std::string_view name) { return Lookup(name, false); }

std::optional<std::vector<std::string>> Fields::Strings(std::string_view name, const StringRule& rule,
                                                        size_t max_items, bool required) {
  const json::value* v = Lookup(name, required);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_array()) {
    Fail(Error::Invalid("invalid_type", std::string(name), "expected an array of strings"));
    return std::nullopt;
  }
  const json::array& items = v->as_array();
  if (items.size() > max_items) {
    Fail(Error::Invalid("too_many_items", std::string(name), fmt::format("at most {}", max_items)));
    return std::nullopt;
  }
  if (required && items.empty()) {
    Fail(Error::Invalid("missing_field", std::string(name)));
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < items.size(); ++i) {
    json::object one{{"v", items[i]}};
    Fields inner(one);
    StringRule r = rule;
    r.required = true;
    auto s = inner.String("v", r);
    if (!s) {
      Error e = *inner.error_;
      e.field = fmt::format("{}[{}]", name, i);
      e.label = std::string(name);
      Fail(e);
      return std::nullopt;
    }
    out.push_back(std::move(*s));
  }
  return out;
}

bool Fields::Objects(std::string_view name, size_t max_items, bool required,
                     const std::function<void(Fields& item, size_t i)>& read) {
  const json::value* v = Lookup(name, required);
  if (v == nullptr) {
    return false;
  }
  if (!v->is_array()) {
    Fail(Error::Invalid("invalid_type", std::string(name), "expected an array of objects"));
    return false;
  }
  const json::array& items = v->as_array();
  if (items.size() > max_items) {
    Fail(Error::Invalid("too_many_items", std::string(name), fmt::format("at most {}", max_items)));
    return false;
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", name, i);
    if (!items[i].is_object()) {
      Fail(Error::Invalid("invalid_type", at, "expected an object"));
      return false;
    }
    Fields item(items[i].get_object());
    read(item, i);
    if (auto s = item.Finish(); !s.ok()) {
      Error e = s.error();
      if (e.label.empty()) {
        e.label = e.field;
      }
      e.field = at + "." + e.field;
      Fail(e);
      return false;
    }
  }
  return true;
}

bool Fields::Object(std::string_view name, bool required, const std::function<void(Fields& inner)>& read) {
  const json::value* v = Lookup(name, required);
  if (v == nullptr) {
    return false;
  }
  if (!v->is_object()) {
    Fail(Error::Invalid("invalid_type", std::string(name), "expected an object"));
    return false;
  }
  Fields inner(v->get_object());
  read(inner);
  if (auto s = inner.Finish(); !s.ok()) {
    Error e = s.error();
    if (e.label.empty()) {
      e.label = e.field;
    }
    e.field = std::string(name) + "." + e.field;
    Fail(e);
    return false;
  }
  return true;
}

void Fields::Fail(Error e) {
  if (!error_) {
    error_ = std::move(e);
  }
}

Status Fields::Finish() {
  if (error_) {
    return *error_;
  }
  for (const auto& kv : obj_) {
    if (seen_.find(std::string_view(kv.key())) == seen_.end()) {
      return Error::Invalid("unknown_field", std::string(kv.key()));
    }
  }
  return {};
}

Result<std::vector<int64_t>> IdArray(const json::value* raw, const std::string& field, size_t max_items) {
  std::vector<int64_t> out;
  if (raw == nullptr || raw->is_null()) {
    return out;
  }
  if (!raw->is_array() || raw->get_array().size() > max_items) {
    return Error::Invalid("invalid_type", field);
  }
  for (const json::value& v : raw->get_array()) {
    if (!v.is_int64() || v.get_int64() < 1) {
      return Error::Invalid("invalid_type", field);
    }
    out.push_back(v.get_int64());
  }
  return out;
}

Result<std::optional<int64_t>> QueryId(const Request& req, const std::string& name) {
  auto v = req.Query(name);
  if (!v || v->empty()) {
    return std::optional<int64_t>();
  }
  auto n = ParseId(*v);
  if (!n) {
    return Error::Invalid("invalid_value", name);
  }
  return std::optional<int64_t>(*n);
}

Result<std::string> IdempotencyKey(const Request& req) {
  std::string key(req.Header("idempotency-key"));
  if (key.empty()) {
    return Error::Invalid("missing_idempotency_key", "Idempotency-Key");
  }
  if (key.size() < 8 || key.size() > 64 || !IsValidUtf8(key) || HasControlChars(key, false)) {
    return Error::Invalid("invalid_idempotency_key", "Idempotency-Key");
  }
  return key;
}

Result<std::string> OptionalIdempotencyKey(const Request& req) {
  if (req.Header("idempotency-key").empty()) {
    return std::string();
  }
  return IdempotencyKey(req);
}

Response JsonResponse(int status, const json::value& v) {
  Response r;
  r.status = status;
  r.body = json::serialize(v);
  r.Set("Content-Type", "application/json; charset=utf-8");
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  return r;
}

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
    case ErrorCode::kBusy:
      return 409;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMedia:
      return 415;
    case ErrorCode::kUnprocessable:
      return 422;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

namespace {

struct Text {
  const char* zh;
  const char* en;
};

// Messages by error key; "{f}" is replaced by the field's label.
const std::map<std::string, Text, std::less<>>& Catalogue() {
  static const std::map<std::string, Text, std::less<>> kMessages = {
      {"invalid_json", {"请求内容不是有效的 JSON 对象", "The request body is not a valid JSON object"}},
      {"invalid_utf8", {"{f}包含无效的字符编码", "{f} is not valid UTF-8"}},
      {"missing_field", {"请填写{f}", "{f} is required"}},
      {"invalid_type", {"{f}的格式不正确", "{f} has the wrong type"}},
      {"too_long", {"{f}太长了", "{f} is too long"}},
      {"too_short", {"{f}太短了", "{f} is too short"}},
      {"out_of_range", {"{f}超出允许范围", "{f} is out of range"}},
      {"invalid_characters", {"{f}包含不允许的控制字符", "{f} contains control characters"}},
      {"unknown_field", {"不认识的字段：{f}", "Unknown field: {f}"}},
      {"invalid_value", {"{f}的取值无效", "{f} has an invalid value"}},
      {"invalid_phone", {"请输入正确的中国大陆手机号", "Enter a valid mainland China mobile number"}},
      {"invalid_email", {"请输入正确的邮箱地址", "Enter a valid e-mail address"}},
      {"phone_or_email", {"请填写手机号或邮箱（二选一）", "Give either a phone number or an e-mail address"}},
      {"weak_password", {"密码至少 8 位", "The password must be at least 8 characters"}},
      {"consent_required", {"请先阅读并同意最新的隐私政策", "Please read and accept the current privacy policy"}},
      {"account_exists", {"该账号已注册，请直接登录或找回密码", "This account already exists; log in or recover the password"}},
      {"invalid_credentials", {"账号或密码错误", "Wrong login or password"}},
      {"wrong_password", {"密码不正确，请重新输入", "The password is wrong; enter it again"}},
      {"reauth_required", {"为保护账号安全，请重新输入密码后再操作", "For your account's safety, enter your password again first"}},
      {"invalid_code", {"验证码错误或已过期", "The code is wrong or has expired"}},
      {"unauthenticated", {"请先登录", "Please log in"}},
      {"forbidden", {"没有权限执行此操作", "You are not allowed to do this"}},
      {"not_found", {"找不到该内容", "Not found"}},
      {"route_not_found", {"接口不存在", "No such API endpoint"}},
      // The operator's outbox (notify/operator.h)
      {"notify.not_failed", {"该消息未发送失败，无需重发", "The message has not failed; nothing to send again"}},
      {"notify.code_not_sent", {"验证码不重发，请居民重新获取", "A code is not sent again; the resident asks for a new one"}},
      {"notify.too_old", {"消息已超过一天，不再发送", "The message is more than a day old and is not sent any more"}},
      {"method_not_allowed", {"不支持该请求方法", "Method not allowed"}},
      {"rate_limited", {"操作太频繁，请稍后再试", "Too many attempts; try again later"}},
      {"body_too_large", {"请求内容过大", "The request body is too large"}},
      {"file_empty", {"请选择要上传的文件", "Choose a file to upload"}},
      {"file_too_large", {"文件不能超过 10 MB", "A file may be at most 10 MB"}},
      {"file_type", {"只能上传 PDF、JPEG、PNG 或 WebP 文件", "Only PDF, JPEG, PNG or WebP files can be uploaded"}},
      {"headers_too_large", {"请求头过大", "The request headers are too large"}},
      {"unsupported_media_type", {"请求必须是 application/json", "The request must be application/json"}},
      {"origin_mismatch", {"请求来源不被允许", "Cross-site request refused"}},
      {"upgrade_required", {"该地址需要使用 WebSocket 连接", "This address needs a WebSocket connection"}},
      {"bad_request", {"请求格式错误", "Malformed request"}},
      {"overloaded", {"系统繁忙，请稍后再试", "The server is busy; try again shortly"}},
      {"busy", {"系统繁忙，请稍后重试", "Busy; please retry"}},
      {"shutting_down", {"服务正在重启，请稍后再试", "The server is restarting; try again shortly"}},
      {"internal_error", {"服务器内部错误，请稍后再试", "Internal server error"}},
      {"invalid_role", {"角色无效", "Unknown role"}},
      {"role_scope_required", {"该角色需要指定{f}", "This role needs {f}"}},
      {"role_scope_not_allowed", {"该角色不能指定{f}", "This role does not take {f}"}},
      {"role_exists", {"该用户已有此角色", "The user already has this role"}},
      {"role_not_found", {"该用户没有此角色", "The user does not have this role"}},
      {"user_not_found", {"用户不存在", "No such user"}},
      {"org_exists", {"该统一社会信用代码已登记", "An organisation with this credit code exists"}},
      {"village_exists", {"同名村居已存在", "A village or community with this name exists"}},
      {"invalid_credit_code", {"统一社会信用代码应为 18 位数字或大写字母", "The credit code must be 18 digits or capital letters"}},
      {"invalid_rating", {"评级只能是 3A、4A 或 5A", "The rating must be 3A, 4A or 5A"}},
      {"collective_requires_rural", {"只有农村社区才有集体经济组织", "Only rural communities have a collective economy"}},
      {"session_not_found", {"登录设备不存在", "No such session"}},
      {"account_deleted", {"账号已注销", "This account has been deleted"}},
      {"missing_idempotency_key", {"请求缺少幂等键（Idempotency-Key），请重试", "The Idempotency-Key header (8-64 characters) is required"}},
      {"invalid_idempotency_key", {"幂等键应为 8 到 64 个字符", "The Idempotency-Key must be 8 to 64 characters"}},
      {"idempotency_key_reused", {"该幂等键已用于另一笔不同的请求", "This Idempotency-Key was used for a different request"}},
      {"amount_out_of_range", {"捐赠金额超出允许范围", "The amount is outside the allowed range"}},
      {"purpose_not_found", {"捐赠用途不存在或已结束", "No such (active) purpose"}},
      {"purpose_exists", {"用途代码已存在", "A purpose with this code exists"}},
      {"donation_not_found", {"捐赠记录不存在", "No such donation"}},
      {"donation_not_refundable", {"该捐赠不能退款", "This donation cannot be refunded"}},
      {"receipt_not_found", {"未找到该捐赠票据", "No such receipt"}},
      {"payment_not_found", {"支付单不存在", "No such payment"}},
      {"payments_unavailable", {"在线捐赠暂不可用", "Online giving is not available"}},
      {"payment_not_payable", {"该支付单已关闭或已支付", "This payment is closed or already paid"}},
      {"openid_required", {"请在微信中打开并登录后再用微信支付", "Open this page in WeChat and sign in to pay with WeChat Pay"}},
      {"alipay_in_wechat", {"微信内无法使用支付宝，请在浏览器中打开本页", "Alipay cannot open inside WeChat: open this page in a browser"}},
      {"payment_not_refundable", {"该支付不能退款", "This payment cannot be refunded"}},
      {"invalid_signature", {"通知签名无效", "Invalid notification signature"}},
      {"stale_notification", {"通知已过期", "The notification is too old"}},
      {"invalid_notification", {"通知内容无效", "Invalid notification"}},
      {"provider_not_found", {"没有这个支付渠道", "No such payment provider"}},
      {"provider_unavailable", {"支付渠道暂时无法连接，请稍后重试", "The payment provider cannot be reached; please try again"}},
      {"provider_refused", {"支付渠道拒绝了该请求", "The payment provider refused the request"}},
      {"provider_order_not_found", {"支付渠道没有这笔订单", "The payment provider has no such order"}},
      {"insufficient_funds", {"该资金可用余额不足", "Not enough money available in this fund"}},
      {"exceeds_commitment", {"超出资助承诺金额", "More than the grant's remaining amount"}},
      {"commitment_released", {"该资助承诺的结余已退回", "The commitment's leftover was already released"}},
      {"disbursement_pending", {"尚有待审批的拨付", "A disbursement is still awaiting approval"}},
      {"self_approval", {"不能复核自己提出的拨付", "You cannot approve a disbursement you proposed"}},
      {"already_approved", {"您已复核过该拨付", "You have already approved this disbursement"}},
      {"disbursement_not_found", {"拨付记录不存在", "No such disbursement"}},
      {"disbursement_not_pending", {"该拨付不在待复核状态", "This disbursement is not awaiting approval"}},
      {"commitment_not_found", {"资助承诺不存在", "No such grant commitment"}},
      {"sponsorship_not_found", {"冠名赞助不存在", "No such sponsorship"}},
      {"instalments_exceed_commitment", {"到账金额超过赞助承诺", "Instalments would exceed the sponsorship commitment"}},
      {"disclosure_exists", {"该期信息已公开过", "This period has already been disclosed"}},
      {"entry_not_found", {"分录不存在", "No such entry"}},
      {"report_not_found", {"公开报告不存在", "No such report"}},
      {"already_reversed", {"该分录已被冲销", "This entry has already been reversed"}},
      // Shop (公益商城)
      {"shop.product_not_found", {"商品不存在", "No such product"}},
      {"shop.product_not_pending", {"该商品不在待审核状态", "This product is not awaiting approval"}},
      {"shop.product_withdrawn", {"该商品已下架", "This product has been withdrawn"}},
      {"shop.donation_above_price", {"捐赠部分不能超过售价", "The donation part cannot exceed the price"}},
      {"shop.sold_out", {"商品库存不足，未能下单", "Not enough stock left; nothing was ordered"}},
      {"shop.not_on_sale", {"商品未在售，未能下单", "This product is not on sale; nothing was ordered"}},
      {"shop.order_not_found", {"订单不存在", "No such order"}},
      {"shop.order_not_cancellable", {"订单已支付或已关闭，不能取消", "The order has been paid or closed and cannot be cancelled"}},
      {"shop.order_not_shippable", {"只有已支付的快递订单可以发货", "Only a paid delivery order can be shipped"}},
      {"shop.order_not_shipped", {"订单尚未发货", "The order has not been shipped"}},
      {"shop.order_not_ready", {"订单不在待自提状态", "The order is not ready for pickup"}},
      {"shop.order_not_refundable", {"订单未支付或已退款，不能退款", "The order is not paid or has already been refunded"}},
      {"shop.too_many_unpaid", {"您有多笔订单尚未支付，请先支付或取消后再下单", "You have several unpaid orders; pay or cancel one first"}},
      {"shop.refund_too_many", {"退款数量超过该商品尚未退款的数量", "That is more of this item than is left to refund"}},
      {"refund_under_way", {"这笔付款的另一笔退款正在处理，请稍后再试", "Another refund of this payment is under way; try again shortly"}},
      {"shop.pickup_not_found", {"提货码无效", "No such pickup code"}},
      {"shop.pickup_used", {"该提货码已使用", "This pickup code has already been used"}},
      {"duplicate_item", {"同一商品请只添加一次", "List each product once"}},
      // Events
      {"event_not_found", {"活动不存在", "No such event"}},
      {"venue_not_found", {"场地不存在", "No such venue"}},
      {"invalid_time_range", {"结束时间须晚于开始时间", "The end must be after the start"}},
      {"in_the_past", {"{f}不能早于现在", "{f} cannot be in the past"}},
      {"invalid_signup_window", {"报名截止须晚于报名开始，且不晚于活动开始", "Sign-up must close after it opens and no later than the start"}},
      {"villages_required", {"面向指定村居的活动请至少选择一个村居", "Choose at least one village for a village-only event"}},
      {"invalid_question", {"报名问题填写不完整或有误", "A sign-up question is incomplete or invalid"}},
      {"answer_required", {"请回答必答问题：{f}", "Please answer the required question: {f}"}},
      {"invalid_choice", {"请从选项中选择：{f}", "Choose one of the options: {f}"}},
      {"audience_villages", {"本活动仅面向指定村居的居民", "This event is for residents of certain villages only"}},
      {"roster_only", {"本场次的报名由所属培训班统一安排", "Sign-ups for this session are made through its class"}},
      {"audience_volunteers", {"本活动仅面向已注册的志愿者", "This event is for registered volunteers only"}},
      {"village_required", {"请先在“我的”中设置所在村居", "Set your home village first (in 我的)"}},
      {"already_registered", {"您已报名本活动", "You have already signed up for this event"}},
      {"signup_not_open", {"报名尚未开始", "Sign-up has not opened yet"}},
      {"signup_closed", {"报名已截止", "Sign-up has closed"}},
      {"event_cancelled", {"活动已取消", "The event has been cancelled"}},
      {"registration_not_found", {"报名记录不存在", "No such registration"}},
      {"registration_not_active", {"该报名已取消或已失效", "This registration is no longer active"}},
      {"event_started", {"活动已开始，无法取消报名", "The event has started; the sign-up can no longer be cancelled"}},
      {"offer_expired", {"候补名额的确认时间已过", "The time to confirm this seat has passed"}},
      {"registration_not_offered", {"该报名没有待确认的名额", "This registration has no seat waiting for confirmation"}},
      {"capacity_below_confirmed", {"名额不能少于已确认的人数", "Capacity cannot be below the confirmed seats"}},
      {"ticket_not_found", {"票码无效：不是本活动的票", "Unknown ticket code for this event"}},
      {"ticket_not_valid", {"该票未确认（候补中或已取消），不能签到", "This ticket is not confirmed (waitlisted or cancelled)"}},
      {"checkin_not_open", {"签到将于活动开始前 4 小时开放", "Check-in opens 4 hours before the start"}},
      {"already_checked_in", {"已签到的报名不能取消", "A checked-in registration cannot be cancelled"}},
      {"already_volunteer", {"您已是注册志愿者", "You are already a registered volunteer"}},
      {"not_volunteer", {"您还不是注册志愿者", "You are not a registered volunteer"}},
      // Service applications
      {"service_not_found", {"服务不存在或已下线", "No such (active) service"}},
      {"service_exists", {"本机构已有同名服务", "The organisation already offers a service with this name"}},
      {"service_not_in_village", {"该服务不覆盖您所选的村居", "This service does not cover the chosen village"}},
      {"sensitive_consent_required", {"填写健康状况或身份证号前，请先单独同意敏感信息的收集与使用", "Sensitive information needs your separate, explicit consent"}},
      {"invalid_id_number", {"请输入正确的 18 位身份证号", "Enter a valid 18-character ID number"}},
      {"beneficiary_required", {"为家人申请时请填写服务对象姓名", "Give the name of the family member"}},
      {"application_not_found", {"申请不存在", "No such application"}},
      {"worker_not_staff", {"指派的社工须为本机构工作人员", "The worker must be staff of this organisation"}},
      {"invalid_transition", {"当前状态不允许此操作", "Not allowed in the application's current state"}},
      {"refer_to_self", {"不能转介给本机构", "Cannot refer to the same organisation"}},
      {"already_rated", {"您已评价过", "You have already rated this"}},
      {"reopen_window_passed", {"结案已超过 14 天，无法重新开启", "More than 14 days since closing; cannot reopen"}},
      {"application_closed", {"申请已结束，不能再留言", "The application is closed"}},
      // Uploaded images (src/media).
      {"image_empty", {"请选择要上传的图片", "Choose an image to upload"}},
      {"image_too_large", {"图片文件过大", "The image file is too large"}},
      {"image_type_unsupported", {"只能上传 JPEG、PNG 或 WebP 图片", "Only JPEG, PNG or WebP images can be uploaded"}},
      {"image_content_type", {"请以 image/jpeg、image/png 或 image/webp 上传图片", "Upload the image as image/jpeg, image/png or image/webp"}},
      {"image_dimensions_too_large", {"图片尺寸过大", "The image's dimensions are too large"}},
      {"image_corrupt", {"图片已损坏或无法读取", "The image is damaged or cannot be read"}},
      {"image_not_found", {"图片不存在", "No such image"}},
      {"image_in_use", {"图片正在使用中，不能删除或再次使用", "The image is in use"}},
      {"too_many_photos", {"最多添加 9 张图片", "At most 9 photos"}},
      {"duplicate_photo", {"同一张图片请只添加一次", "Add each photo once"}},
      {"media_upload_forbidden", {"只有工作人员可以上传图片", "Only staff can upload images"}},
      // Auction (公益拍卖)
      {"auction.lot_not_found", {"拍品不存在", "No such lot"}},
      {"auction.self_approval", {"不能审核自己创建的拍品", "You cannot approve a lot you created"}},
      {"auction.not_pending", {"该拍品不在待审核状态", "This lot is not awaiting approval"}},
      {"auction.own_lot", {"拍品的创建人和审核人不能出价", "The lot's creator and approver may not bid on it"}},
      {"auction.bid_too_low", {"出价低于当前最低可出价 {d}", "The bid is below the current minimum of {d}"}},
      {"auction.closed", {"拍卖已结束", "The auction has ended"}},
      {"auction.not_started", {"拍卖尚未开始", "The auction has not started yet"}},
      {"auction.not_payable", {"该拍品当前无需付款或已超过付款期限", "This lot is not awaiting your payment, or the deadline has passed"}},
      {"auction.not_lapsed", {"只有得标人逾期未付款的拍品才能转给次高出价人", "Only a lot whose winner did not pay in time can go to the runner-up"}},
      {"auction.no_runner_up", {"该拍品没有次高出价人", "This lot has no runner-up"}},
      {"auction.runner_up_below_reserve", {"次高出价未达保留价", "The runner-up's maximum is below the reserve"}},
      {"auction.payment_open", {"得标人的付款单尚未关闭，请稍后再试", "The winner's payment is still open; try again once it has closed"}},
      {"auction.offer_expired", {"递补成交的确认期限已过", "The time to accept this offer has passed"}},
      {"auction.no_offer", {"您没有待确认的递补成交", "You have no offer waiting for an answer"}},
      // Lists in requests.
      {"too_many_items", {"{f}项目过多", "Too many items in {f}"}},
      {"duplicate_value", {"{f}有重复项", "{f} has a duplicate"}},
      {"org_not_found", {"机构不存在", "No such organisation"}},
      {"village_not_found", {"村居不存在", "No such village or community"}},
      // Grant calls and review (关爱基金项目申报与评审)
      {"grants.call_not_found", {"申报批次不存在", "No such call"}},
      {"grants.application_not_found", {"项目申报不存在", "No such application"}},
      {"grants.reviewer_not_found", {"评审人员不存在", "No such reviewer"}},
      {"grants.meeting_not_found", {"评审会不存在", "No such review meeting"}},
      {"grants.seat_not_found", {"评审席位不存在", "No such panel seat"}},
      {"grants.call_not_open", {"该批次当前不在申报期内", "This call is not open for applications"}},
      {"grants.deadline_passed", {"申报已截止，不能再修改或撤回", "The call has closed; the application can no longer change"}},
      {"grants.not_amendable", {"该申报当前状态不允许修改", "The application cannot change in its current state"}},
      {"grants.call_still_open", {"申报尚未截止，截止后才能进行资格审查", "Eligibility is checked after the call closes"}},
      {"grants.not_checkable", {"该申报当前状态不能进行资格审查", "The application cannot be checked in its current state"}},
      {"grants.support_closed", {"该项目当前不在点赞期内", "Support votes are not open for this project"}},
      {"grants.own_application", {"不能为本机构的项目点赞", "You cannot support your own organisation's project"}},
      {"grants.already_reviewer", {"该用户已在评审人员库中", "This person is already in the reviewer pool"}},
      {"grants.village_required", {"请选择您所在的村居", "Choose the village or community you live in"}},
      {"grants.not_applied", {"该评审人员不在待审核状态", "This reviewer is not awaiting approval"}},
      {"grants.pool_changed", {"评审人员库刚刚发生变化，请重新分配", "The reviewer pool changed meanwhile; run the assignment again"}},
      {"grants.meeting_closed", {"评审会已结束", "The meeting is closed"}},
      {"grants.seat_not_open", {"该评审席位已答复或已取消", "This seat was already answered or withdrawn"}},
      {"grants.not_an_extension", {"新的截止时间须晚于现在的截止时间", "The new close must be later than the current one"}},
      {"grants.extension_too_late", {"截止时间不能晚于评审日期或点赞阶段的结束", "The close cannot pass the review date or the end of public support"}},
      {"grants.reviewer_kind_mismatch", {"只能换成同类评审人员（专家换专家，居民代表换居民代表）", "Swap an expert for an expert and a citizen for a citizen"}},
      {"grants.same_reviewer", {"请选择另一位评审人员", "Choose a different reviewer"}},
      {"grants.reviewer_unavailable", {"该评审人员本次评审会不能出席", "This reviewer is unavailable for the meeting"}},
      {"grants.over_load_cap", {"该评审人员的评审数量已达上限", "This reviewer has reached their load cap"}},
      {"grants.reviewer_declined", {"该评审人员已谢绝评审此项目", "This reviewer declined this application"}},
      {"grants.reviewer_not_approved", {"该评审人员尚未通过审核", "This reviewer is not approved"}},
      {"grants.conflict_of_interest", {"该评审人员与此项目存在利益冲突", "This reviewer has a conflict of interest with the project"}},
      {"grants.budget_required", {"请填写预算明细", "Add the budget lines"}},
      {"grants.requested_over_budget", {"申请金额超过项目预算（扣除合资方出资）", "The amount requested exceeds the budget (less co-funding)"}},
      {"grants.over_cap", {"申请金额超过本批次单个项目资助上限", "The amount requested exceeds the call's per-project cap"}},
      {"grants.mode_not_allowed", {"本批次不接受该资助方式", "This call does not accept that funding mode"}},
      {"grants.type_not_in_call", {"本批次不接受该项目类型", "This call does not accept that project type"}},
      {"grants.cofunding_too_low", {"合资项目的配套资金比例不足", "The co-funding share is below the call's minimum"}},
      {"grants.partner_required", {"合作项目请填写合作方", "Name the partner of a cooperative project"}},
      {"grants.org_rating_too_low", {"机构评级未达到本批次要求", "The organisation's rating is below the call's minimum"}},
      {"grants.scores_closed", {"评分已截止", "Scoring for this meeting has closed"}},
      {"grants.review_recused", {"您对该项目的评审已被设为回避", "Your review of this project was recused"}},
      {"grants.not_under_review", {"该项目当前不在评审阶段", "This project is not under review"}},
      {"grants.award_out_of_range", {"资助金额应在 1 分到申请金额与单项上限之间", "The award must be between 0.01 and the lesser of the request and the cap"}},
      {"grants.over_budget", {"超出本批次剩余预算", "More than is left of the call's budget"}},
      {"grants.not_decidable", {"该申报当前不能作出资助决定", "The application cannot be decided in its current state"}},
      {"grants.notice_published", {"本批次结果已公示，不能再更改", "The call's results are published; they can no longer change"}},
      {"grants.decision_changed", {"该申报刚被他人作出决定，请刷新后重试", "Someone decided this application meanwhile; reload and try again"}},
      {"grants.undecided_applications", {"还有申报尚未作出资助决定", "Some applications are not decided yet"}},
      {"grants.notice_not_found", {"本批次尚未公示结果", "The call's results are not published yet"}},
      {"grants.objections_closed", {"异议期已结束", "The objection period has ended"}},
      {"grants.objection_not_found", {"异议不存在", "No such objection"}},
      {"grants.already_answered", {"该异议已答复", "This objection was already answered"}},
      {"grants.project_not_found", {"资助项目不存在", "No such funded project"}},
      {"grants.report_not_found", {"报告不存在", "No such report"}},
      {"grants.not_approved", {"该申报未获批准，不能立项", "The application was not approved"}},
      {"grants.objection_window_open", {"公示异议期尚未结束，暂不能立项", "The notice's objection period has not ended"}},
      {"grants.objection_pending", {"该申报有未处理或成立的异议", "An objection to this application is open or upheld"}},
      {"grants.milestones_sum", {"里程碑金额合计须等于资助金额，且每项在项目期内", "The milestones must add up to the award and fall within the project"}},
      {"grants.project_exists", {"该申报已立项", "This application already has a project"}},
      {"grants.sponsorship_type_mismatch", {"该冠名赞助限定了其他项目类型", "The sponsorship is restricted to another project type"}},
      {"grants.sponsorship_exhausted", {"冠名赞助金额已用完", "The sponsorship's amount is used up"}},
      {"grants.use_of_funds_required", {"结项报告须列明资金使用情况", "A final report must list the use of funds"}},
      {"grants.final_report_exists", {"结项报告已提交", "The final report was already filed"}},
      {"grants.project_closed", {"项目已结项", "The project is closed"}},
      {"grants.report_not_pending", {"该报告不在待审核状态", "The report is not awaiting review"}},
      {"grants.final_report_missing", {"结项报告尚未审核通过", "No approved final report yet"}},
      {"grants.disbursement_pending", {"尚有待审批的拨付", "A disbursement is still awaiting approval"}},
      {"grants.milestone_not_open", {"该里程碑不在计划状态", "The milestone is not open for a report"}},
      {"grants.already_observer", {"已是该项目的观察员", "Already an observer of this project"}},
      {"grants.observer_conflict", {"该机构工作人员不能担任本项目观察员", "Staff of the project's organisation cannot observe it"}},
      {"grants.observer_not_found", {"观察员不存在", "No such observer"}},
      {"grants.visit_in_future", {"探访时间不能晚于现在", "The visit cannot be in the future"}},
      {"grants.attachment_not_found", {"附件不存在", "No such attachment"}},
      {"grants.attachment_empty", {"请选择要上传的文件", "Choose a file to upload"}},
      {"grants.attachment_too_large", {"附件不能超过 10 MB", "An attachment may be at most 10 MB"}},
      {"grants.attachment_type", {"附件只能是 PDF、JPEG、PNG 或 WebP 文件", "Attachments must be PDF, JPEG, PNG or WebP files"}},
      {"grants.too_many_attachments", {"每份申报最多上传 10 个附件", "An application may have at most 10 attachments"}},
      // ---- market (issue 12): the catalogue, needs, surveys
      {"market.project_not_found", {"服务项目不存在", "No such service project"}},
      {"market.project_not_pending", {"该服务项目不在待审核状态", "The project is not awaiting approval"}},
      {"market.project_changed",
       {"该服务项目在您审核期间已被机构修改，请刷新后重新审核", "The organisation edited the project while you reviewed it; reload and review again"}},
      {"market.project_withdrawn", {"该服务项目已下架", "The project was withdrawn"}},
      {"market.price_range", {"价格区间无效：最高价不能低于最低价，固定价格两者须相同", "The price range is invalid: the maximum cannot be below the minimum, and a fixed price has them equal"}},
      {"market.need_not_found", {"需求不存在", "No such need"}},
      {"market.need_not_open", {"该需求已关闭或已满足", "The need is no longer open"}},
      {"market.budget_range", {"预算上限不能低于预算下限", "The budget's maximum cannot be below its minimum"}},
      {"market.round_not_found", {"需求调查不存在", "No such needs survey"}},
      {"market.round_needs_survey", {"引用需求调查时，需求来源须为“居民调查”", "A need citing a survey must have the source 'survey'"}},
      {"market.round_closed", {"该需求调查当前不在开放时间内", "The survey is not open now"}},
      {"market.already_answered", {"您已参加过本轮需求调查", "You have already answered this survey"}},
      {"market.answer_empty", {"请至少选择一项需求或填写您的需求", "Pick at least one need or write one"}},
      {"market.unknown_option", {"所选需求不在本轮调查的选项中", "That need is not one of the survey's options"}},
      {"market.not_rural", {"只有设有集体经济组织的农村可以购买服务项目；城市社区请申报关爱基金项目", "Only villages with a collective economic organisation can buy service projects; urban communities apply to the Care Fund's project calls"}},
      {"market.request_not_found", {"报价请求不存在", "No such quote request"}},
      {"market.request_exists", {"本村已向该项目发出报价请求，请等待机构报价", "The village already has an open quote request for this project"}},
      {"market.request_not_open", {"该报价请求已结束", "The quote request is no longer open"}},
      {"market.quote_not_found", {"报价不存在", "No such quote"}},
      {"market.quote_not_open", {"该报价已被接受、取代或拒绝", "The quote was already accepted, superseded or declined"}},
      {"market.milestones_sum", {"各阶段金额之和须等于报价总额", "The milestones' amounts must add up to the total"}},
      {"market.milestones_order", {"各阶段的完成日期须按先后排列", "Milestones must be in date order"}},
      {"market.contract_not_found", {"合同不存在", "No such contract"}},
      {"market.contract_not_awaiting_decision", {"该合同不在等待集体决策的状态", "The contract is not awaiting a collective decision"}},
      {"market.votes_required", {"请填写表决票数", "Enter the votes cast"}},
      {"market.minutes_required", {"请上传会议纪要或填写纪要摘要", "Attach the minutes or write their summary"}},
      {"market.not_in_notice", {"该合同不在公示期内", "The contract is not in its public notice"}},
      {"market.objection_not_found", {"异议不存在", "No such objection"}},
      {"market.objection_answered", {"该异议已答复", "The objection has already been answered"}},
      {"market.contract_not_active", {"合同尚未生效或已结束", "The contract is not in effect"}},
      {"market.milestone_not_found", {"合同没有这一阶段", "The contract has no such milestone"}},
      {"market.milestone_not_open", {"该阶段已提交或已验收", "The milestone was already reported or accepted"}},
      {"market.milestone_not_reported", {"机构尚未提交该阶段的进展", "The organisation has not reported this milestone"}},
      {"market.milestone_not_accepted", {"该阶段验收通过后才能付款", "A milestone is paid only once it is accepted"}},
      {"market.already_paid", {"该阶段已付款", "The milestone has already been paid"}},
      {"market.payment_amount", {"付款金额须等于该阶段的合同金额", "The payment must equal the milestone's amount"}},
      {"market.amendment_changes_done", {"已验收的阶段不能变更", "Milestones already accepted cannot change"}},
      {"market.amendment_open", {"已有一项变更等待对方确认", "A change is already waiting for the other side"}},
      {"market.amendment_not_found", {"合同变更不存在", "No such amendment"}},
      {"market.amendment_not_open", {"该变更已处理", "The amendment has already been decided"}},
      {"market.already_rated", {"您已评价过该项目", "You have already rated this project"}},
      {"market.already_evaluated", {"本村已评价过该合同", "The village has already evaluated this contract"}},
      {"market.meeting_not_found", {"供需见面会不存在", "No such supply–demand meeting"}},
      {"market.booth_not_found", {"展位不存在", "No such booth"}},
      {"market.not_invited", {"未受邀参加本次供需见面会", "Not invited to this meeting"}},
      {"market.booth_time", {"展示时间须在见面会的时间之内", "The slot must fall within the meeting's hours"}},
      {"market.booth_exists", {"该项目已在本次见面会展示", "The project already has a booth at this meeting"}},
      {"market.booth_shortlisted", {"已有村居将该项目列入意向，展位不能撤下", "Villages have shortlisted this project; the booth stays"}},
      {"market.meeting_over", {"供需见面会已结束", "The meeting is over"}},
      {"market.not_presented", {"该项目未在本次见面会展示", "The project is not presented at this meeting"}},
      {"market.shortlist_requested", {"已发出报价请求的意向不能移除", "A shortlisted project already sent for a quote stays"}},
      {"market.shortlist_empty", {"意向清单中没有待发出的项目", "Nothing on the shortlist is waiting for a quote request"}},
      {"market.evaluation_too_early", {"至少一个阶段验收后才能评价", "Evaluate once at least one milestone is accepted"}},
      // ---- end market
      {"missing_score", {"请为“{d}”打分", "Score “{d}”"}},
      {"score_out_of_range", {"“{d}”的分数应在 0 到 10 之间", "“{d}” must be scored 0 to 10"}},
      {"unknown_criterion", {"评分标准中没有“{d}”", "The rubric has no criterion “{d}”"}},
      {"not_allowed_for_mode", {"该资助方式不能填写{f}", "{f} is not allowed for this funding mode"}},
      // Each village's collective book (村集体账)
      {"villagebook.no_book", {"只有有集体经济组织的农村社区才有村集体账", "Only a rural village with a collective economic organisation has a collective book"}},
      {"villagebook.voucher_taken", {"该凭证号已记账", "This voucher number is already booked"}},
      {"villagebook.insufficient_funds", {"集体银行存款余额不足", "The collective's bank balance is not enough"}},
      {"villagebook.entry_not_found", {"村集体账中没有该笔记录", "No such entry in the village book"}},
      {"villagebook.already_reversed", {"该笔记录已冲销", "This entry has already been reversed"}},
      // Party-member social-work training (党员社工培育)
      {"in_the_future", {"{f}不能晚于现在", "{f} cannot be in the future"}},
      {"training.class_not_found", {"培训班不存在", "No such class"}},
      {"training.programme_not_found", {"培训项目不存在", "No such programme"}},
      {"training.practice_not_found", {"实践记录不存在", "No such practice record"}},
      {"training.certificate_not_found", {"证书不存在", "No such certificate"}},
      {"training.person_not_found", {"找不到该学员：请检查手机号或用户编号", "No such person: check the phone number or user id"}},
      {"training.session_not_found", {"培训场次不存在", "No such session"}},
      {"training.assignment_not_found", {"作业不存在", "No such assignment"}},
      {"training.material_not_found", {"培训资料不存在", "No such material"}},
      {"training.not_secretaries_class", {"只有党总支书记培训班的作业可以发布为村级需求", "Only a secretaries' class assignment can be posted as a village need"}},
      {"training.assignment_not_passed", {"作业评分合格后才能发布为村级需求", "The assignment must be graded as passed before it is posted as a need"}},
      {"training.need_already_posted", {"这份作业已发布为村级需求", "This assignment has already been posted as a village need"}},
      {"training.room_not_found", {"党员接待室不存在", "No such reception room"}},
      {"talent.scan_not_found", {"没有证书扫描件", "No scan of this certificate"}},
      {"talent.qualification_not_found", {"资格证书记录不存在", "No such qualification record"}},
      {"talent.qualification_exists", {"该等级的资格证书已登记（被退回的可重新提交）", "A qualification of this level is on record already (a rejected one may be sent again)"}},
      {"talent.own_qualification", {"不能审核自己的资格证书", "You cannot verify your own qualification"}},
      {"talent.already_decided", {"该资格证书已审核", "This qualification has already been decided"}},
      {"talent.certificate_required", {"持有有效的党员社工结业证书才能加入人才库", "Joining the talent pool needs a valid training certificate"}},
      {"talent.consent_required", {"加入人才库须同意向社工机构展示您的资料", "Joining the talent pool needs your consent to show your profile to organisations"}},
      {"talent.not_in_pool", {"该党员不在人才库中", "This member is not in the talent pool"}},
      {"talent.already_invited", {"已邀请该党员加入本项目", "This member has already been invited to this project"}},
      {"talent.already_answered", {"该邀请已答复", "This invitation has already been answered"}},
      {"talent.invitation_not_found", {"邀请不存在", "No such invitation"}},
      {"reception.visit_not_found", {"接待记录不存在", "No such reception visit"}},
      {"reception.not_party_member", {"值班人员须是本村居在册党员", "Members on duty must be on this village's party-member register"}},
      {"reception.consent_required", {"记录居民姓名和电话须经本人同意", "The resident's name and phone are kept only with their consent"}},
      {"reception.contact_required", {"转介需要居民同意留下的联系电话", "A referral needs the phone number the resident agreed to leave"}},
      {"reception.already_referred", {"该接待记录已转介", "This visit has already been referred"}},
      {"reception.referral_consent_required", {"转介须经居民本人同意", "A referral needs the resident's consent"}},
      {"training.not_a_trainer", {"只有本班的培训师可以进行此操作", "Only a trainer of this class can do this"}},
      {"training.class_over", {"培训班已结束", "The class is over"}},
      {"training.already_enrolled", {"您已报名本培训班", "Already enrolled in this class"}},
      {"training.not_eligible", {"本班仅面向指定村居的党员（书记班仅面向党总支书记）", "This class is for party members of certain villages (the secretaries' class for branch secretaries only)"}},
      {"training.class_full", {"培训班名额已满", "The class is full"}},
      {"training.not_enrolled", {"未报名本培训班", "Not enrolled in this class"}},
      {"training.no_quiz", {"本班没有测验", "This class has no quiz"}},
      {"training.no_assignment", {"本班没有作业", "This class has no assignment"}},
      {"training.already_graded", {"作业已评分，不能再修改", "The assignment has been graded and can no longer change"}},
      {"training.own_practice", {"不能确认自己的实践记录", "You cannot confirm your own practice"}},
      {"training.practice_decided", {"该实践记录已确认或已退回", "The practice record was already confirmed or rejected"}},
      {"training.not_complete", {"尚未达到结业要求", "The completion rules are not yet met"}},
      {"training.already_issued", {"已为该学员颁发本班证书", "A certificate of this class was already issued to this person"}},
      {"training.already_revoked", {"证书已撤销", "The certificate has already been revoked"}},
      {"share.not_found", {"没有可分享的内容", "Nothing to share here"}},
      {"news.forbidden", {"只有编辑和机构工作人员可以撰写资讯", "Only editors and organisation staff write news"}},
      {"news.article_not_found", {"文章不存在或尚未发布", "No such article, or it is not published"}},
      {"news.state", {"文章当前状态不允许此操作（可能已被他人处理）", "The article's state does not allow this (someone may have acted on it)"}},
      {"news.edited_meanwhile", {"文章刚被他人修改，请刷新后再改", "Someone edited the article meanwhile; reload and edit again"}},
      {"news.related_not_found", {"关联的内容不存在或未公开", "The related item does not exist or is not public"}},
      {"forum.board_not_found", {"版块不存在", "No such board"}},
      {"forum.board_exists", {"同名版块已存在（或该机构已有版块）", "A board with this name (or for this organisation) exists"}},
      {"forum.board_archived", {"该版块已归档，不能发帖", "The board is archived"}},
      {"forum.thread_not_found", {"帖子不存在或已被删除", "No such thread"}},
      {"forum.post_not_found", {"楼层不存在或已被删除", "No such post"}},
      {"forum.thread_locked", {"该帖已锁定，不能回复或编辑", "The thread is locked"}},
      {"forum.thread_not_open", {"该帖未公开，不能回复", "The thread is not open for replies"}},
      {"forum.phone_not_verified", {"发帖需先验证手机号（实名），公开显示的只是昵称", "Posting needs a verified mobile number; only your nickname is shown"}},
      {"forum.muted", {"您已被禁言，期满后才能发帖", "You are muted and cannot post until the mute ends"}},
      {"forum.banned", {"您已被禁止在论坛发言", "You are banned from posting"}},
      {"forum.links_need_trust", {"新成员暂不能发布链接或图片，多逛逛、多读帖后即可", "New members cannot post links or images yet; read and visit a little more first"}},
      {"forum.sensitive_word", {"内容含有不当词语，请修改后再发", "The text contains a word that is not allowed; please change it"}},
      {"forum.rate_limited", {"发帖太频繁，请稍后再试", "Posting too often; try again later"}},
      {"forum.own_post", {"不能对自己的帖子这样做", "You cannot do this to your own post"}},
      {"forum.not_org_staff", {"只有该机构的工作人员可以以机构身份发言", "Only the organisation's staff can write in its name"}},
      {"forum.not_a_question", {"只有求助帖可以采纳答案", "Only a question can have an accepted answer"}},
      {"forum.already_reported", {"您已举报过该内容", "You have already reported this"}},
      {"forum.report_not_found", {"举报不存在", "No such report"}},
      {"forum.report_decided", {"该举报已处理", "The report has already been handled"}},
      {"forum.thread_moved", {"该帖已被移动，请刷新后再试", "The thread was moved meanwhile; reload and try again"}},
      {"forum.post_state", {"该楼层当前状态不允许此操作", "The post's state does not allow this"}},
      {"forum.not_author", {"只有作者本人可以编辑", "Only its author can edit a post"}},
      {"forum.title_first_floor_only", {"只有主楼可以修改标题", "Only the opening post can change the title"}},
      {"forum.ban_needs_admin", {"封禁只能由平台管理员执行", "Only a platform administrator can ban"}},
      {"forum.sanction_not_found", {"处罚记录不存在", "No such sanction"}},
      {"forum.sanction_lifted", {"该处罚已解除", "The sanction was already lifted"}},
  };
  return kMessages;
}

const std::map<std::string, Text, std::less<>>& FieldLabels() {
  static const std::map<std::string, Text, std::less<>> kLabels = {
      {"phone", {"手机号", "Phone"}},
      {"image", {"图片", "Image"}},
      {"file", {"文件", "File"}},
      {"label", {"说明", "Label"}},
      {"title", {"标题", "Title"}},
      {"body_md", {"正文", "Text"}},
      {"quote_post_id", {"引用的楼层", "Quoted post"}},
      {"as_org_id", {"机构身份", "Organisation"}},
      {"post_id", {"楼层", "Post"}},
      {"ends_at_ms", {"截止时间", "End time"}},
      {"photo_ids", {"图片", "Photos"}},
      {"email", {"邮箱", "E-mail"}},
      {"password", {"密码", "Password"}},
      {"new_password", {"新密码", "New password"}},
      {"display_name", {"昵称", "Display name"}},
      {"login", {"账号", "Login"}},
      {"code", {"验证码", "Code"}},
      {"consent_version", {"隐私政策同意", "Privacy consent"}},
      {"name", {"名称", "Name"}},
      {"credit_code", {"统一社会信用代码", "Credit code"}},
      {"rating", {"评级", "Rating"}},
      {"kind", {"类型", "Kind"}},
      {"rural", {"是否农村社区", "Rural"}},
      {"collective_economy", {"集体经济", "Collective economy"}},
      {"role", {"角色", "Role"}},
      {"user_id", {"用户", "User"}},
      {"org_id", {"机构", "Organisation"}},
      {"village_id", {"村居", "Village"}},
      {"amount_fen", {"金额", "Amount"}},
      {"project_name", {"项目名称", "Project name"}},
      {"budget_ref", {"预算文号", "Budget reference"}},
      // Village books (村集体账)
      {"voucher_no", {"凭证号", "Voucher number"}},
      {"memo", {"摘要", "Memo"}},
      {"seq", {"记账序号", "Entry number"}},
      {"sponsor_name", {"赞助方名称", "Sponsor name"}},
      {"sponsor_kind", {"赞助方类型", "Sponsor kind"}},
      {"naming_text", {"冠名", "Naming text"}},
      {"committed_fen", {"承诺金额", "Committed amount"}},
      {"term_start_ms", {"冠名开始时间", "Term start"}},
      {"term_end_ms", {"冠名结束时间", "Term end"}},
      {"instalments", {"分期数", "Instalments"}},
      {"reference", {"到账凭证号", "Reference"}},
      {"reason", {"原因", "Reason"}},
      {"filing_no", {"备案号", "Filing number"}},
      {"description", {"说明", "Description"}},
      {"commitment_id", {"资助承诺", "Grant commitment"}},
      {"purpose_code", {"用途代码", "Purpose code"}},
      {"period_label", {"公开期次", "Period"}},
      {"title", {"标题", "Title"}},
      {"body", {"正文", "Body"}},
      {"purpose_id", {"用途", "Purpose"}},
      {"Idempotency-Key", {"幂等键", "Idempotency-Key"}},
      {"message", {"留言", "Message"}},
      {"donor_name", {"捐赠人姓名", "Donor name"}},
      {"type", {"类型", "Type"}},
      {"venue_id", {"场地", "Venue"}},
      {"number", {"证书编号", "Certificate number"}},
      {"skills", {"技能", "Skills"}},
      {"availability", {"可服务时间", "Availability"}},
      {"intro", {"个人简介", "Introduction"}},
      {"project_id", {"服务项目", "Service project"}},
      {"room_id", {"接待室", "Reception room"}},
      {"visited_at_ms", {"来访时间", "Visit time"}},
      {"follow_up_ms", {"回访日期", "Follow-up date"}},
      {"action_taken", {"处理情况", "Action taken"}},
      {"consent.name_phone", {"同意留下姓名电话", "Consent to keep name and phone"}},
      {"resident.phone", {"居民电话", "Resident's phone"}},
      {"resident.name", {"居民姓名", "Resident's name"}},
      {"month", {"月份", "Month"}},
      {"venue", {"场地", "Venue"}},
      {"starts_at_ms", {"开始时间", "Start time"}},
      {"ends_at_ms", {"结束时间", "End time"}},
      {"signup_opens_at_ms", {"报名开始时间", "Sign-up opens"}},
      {"signup_closes_at_ms", {"报名截止时间", "Sign-up closes"}},
      {"capacity", {"名额", "Capacity"}},
      {"audience", {"面向对象", "Audience"}},
      {"village_ids", {"村居", "Villages"}},
      {"per_person_limit", {"每人可报名额", "Seats per person"}},
      {"questions", {"报名问题", "Questions"}},
      {"volunteer_minutes", {"志愿服务时长", "Volunteer minutes"}},
      {"confirm_within_hours", {"候补确认时限", "Hours to confirm"}},
      {"seats", {"报名人数", "Seats"}},
      {"answers", {"报名问题", "Answers"}},
      {"ticket_code", {"票码", "Ticket code"}},
      {"client_id", {"设备扫码编号", "Client id"}},
      {"scanned_at_ms", {"扫码时间", "Scan time"}},
      {"real_name", {"真实姓名", "Real name"}},
      {"organiser", {"主办方", "Organiser"}},
      {"cover_url", {"封面图片", "Cover image"}},
      {"service_id", {"服务", "Service"}},
      {"eligibility", {"服务对象", "Eligibility"}},
      {"response_days", {"响应时限", "Response deadline"}},
      {"for_whom", {"申请对象", "For whom"}},
      {"beneficiary_name", {"服务对象姓名", "Beneficiary name"}},
      {"project_types", {"项目类型", "Project types"}},
      {"project_type", {"项目类型", "Project type"}},
      {"budget_fen", {"总预算", "Budget"}},
      {"cap_fen", {"单个项目资助上限", "Per-project cap"}},
      {"opens_at_ms", {"申报开始时间", "Opening time"}},
      {"closes_at_ms", {"申报截止时间", "Closing time"}},
      {"support_closes_at_ms", {"点赞截止时间", "Support votes close"}},
      {"review_at_ms", {"评审时间", "Review date"}},
      {"notice_at_ms", {"公示时间", "Notice date"}},
      {"funding_modes", {"资助方式", "Funding modes"}},
      {"funding_mode", {"资助方式", "Funding mode"}},
      {"min_cofunding_pct", {"合资配套比例", "Minimum co-funding share"}},
      {"min_org_rating", {"机构评级要求", "Minimum rating"}},
      {"panel", {"评审组构成", "Panel"}},
      {"experts", {"专家人数", "Experts"}},
      {"citizens", {"市民代表人数", "Citizen representatives"}},
      {"rubric", {"评分标准", "Rubric"}},
      {"criterion", {"评分项", "Criterion"}},
      {"weight", {"权重", "Weight"}},
      {"expert_weight_pct", {"专家评分权重", "Expert weight"}},
      {"objection_days", {"异议期天数", "Objection days"}},
      {"call_id", {"申报批次", "Call"}},
      {"summary", {"项目简介", "Summary"}},
      {"beneficiaries", {"服务对象", "Beneficiaries"}},
      {"beneficiary_count", {"受益人数", "Number of beneficiaries"}},
      {"goals", {"项目目标", "Goals"}},
      {"indicators", {"量化指标", "Indicators"}},
      {"activities", {"活动安排与进度", "Activities and timeline"}},
      {"villages", {"服务村居", "Villages served"}},
      {"budget_lines", {"预算明细", "Budget lines"}},
      {"item", {"预算项目", "Item"}},
      {"requested_fen", {"申请金额", "Amount requested"}},
      {"co_funders", {"合资方", "Co-funders"}},
      {"share_fen", {"出资金额", "Share"}},
      {"partner_name", {"合作方", "Partner"}},
      {"in_kind_note", {"合作方投入说明", "In-kind contribution"}},
      {"in_kind_fen", {"合作方投入折价", "In-kind value"}},
      {"sponsorship_id", {"冠名赞助", "Naming sponsorship"}},
      {"statement", {"个人陈述", "Statement"}},
      {"declarations", {"利益申报", "Declarations"}},
      {"load_cap", {"评审数量上限", "Load cap"}},
      {"note", {"备注", "Note"}},
      {"eligible", {"资格审查结论", "Eligible"}},
      {"held_at_ms", {"评审会时间", "Meeting time"}},
      {"scores_due_ms", {"评分截止时间", "Scores due"}},
      {"available", {"是否参加", "Available"}},
      {"reviewer_id", {"评审人员", "Reviewer"}},
      {"decision", {"资助决定", "Decision"}},
      {"awarded_fen", {"资助金额", "Amount awarded"}},
      {"application_id", {"项目申报", "Application"}},
      {"upheld", {"是否成立", "Upheld"}},
      {"answer", {"答复", "Answer"}},
      {"relationship", {"与申请人关系", "Relationship"}},
      {"preferred_times", {"方便的时间", "Preferred times"}},
      {"contact_phone", {"联系电话", "Contact phone"}},
      {"sensitive", {"敏感信息", "Sensitive information"}},
      {"sensitive_consent", {"敏感信息同意", "Consent to sensitive information"}},
      {"sensitive.health_condition", {"健康状况", "Health condition"}},
      {"sensitive.id_number", {"身份证号", "ID number"}},
      {"worker_user_id", {"指派社工", "Assigned worker"}},
      {"outcome", {"服务结果", "Outcome"}},
      {"score", {"评分", "Score"}},
      {"comment", {"评价", "Comment"}},
      {"max_fen", {"最高出价", "Maximum bid"}},
      {"start_price_fen", {"起拍价", "Start price"}},
      {"reserve_fen", {"保留价", "Reserve"}},
      {"market_value_fen", {"市场参考价", "Market value"}},
      {"status", {"状态", "Status"}},
      {"category", {"商品分类", "Category"}},
      {"price_fen", {"售价", "Price"}},
      {"stock", {"库存", "Stock"}},
      {"quantity", {"数量", "Quantity"}},
      {"donation", {"捐赠部分", "Donation part"}},
      {"donation.kind", {"捐赠方式", "Donation kind"}},
      {"donation.value", {"捐赠金额或比例", "Donation amount or percentage"}},
      {"items", {"商品", "Items"}},
      {"product_id", {"商品", "Product"}},
      {"fulfilment", {"收货方式", "Fulfilment"}},
      {"fulfilment.venue_id", {"自提点", "Pickup point"}},
      {"carrier", {"快递公司", "Carrier"}},
      {"tracking_no", {"快递单号", "Tracking number"}},
      {"reason", {"原因", "Reason"}},
      {"code", {"提货码", "Pickup code"}},
      {"q", {"搜索词", "Search words"}},
      {"before", {"分页位置", "Page cursor"}},
      // ---- market (issue 12)
      {"target_group", {"服务对象群体", "Target group"}},
      {"price", {"价格", "Price"}},
      {"min_fen", {"最低价", "Minimum price"}},
      {"duration_days", {"服务周期（天）", "Duration (days)"}},
      {"sessions", {"服务场次", "Sessions"}},
      {"service_hours", {"服务时数", "Service hours"}},
      {"team", {"服务团队", "Team"}},
      {"level", {"职业水平", "Qualification level"}},
      {"party_member", {"党员社工", "Party member"}},
      {"budget_min_fen", {"预算下限", "Budget minimum"}},
      {"budget_max_fen", {"预算上限", "Budget maximum"}},
      {"period", {"期望服务期", "Desired period"}},
      {"from_ms", {"开始时间", "Start"}},
      {"to_ms", {"结束时间", "End"}},
      {"story", {"需求背景", "The residents' need"}},
      {"source", {"需求来源", "Source"}},
      {"survey_round_id", {"需求调查", "Needs survey"}},
      {"options", {"调查选项", "Options"}},
      {"picks", {"所选需求", "Needs picked"}},
      {"other", {"其他需求", "Other need"}},
      {"age_band", {"年龄段", "Age group"}},
      {"date_ms", {"日期", "Date"}},
      {"hours", {"时数", "Hours"}},
      {"minutes", {"分钟数", "Minutes"}},
      // ---- end market
  };
  return kLabels;
}

}  // namespace

std::string ErrorMessage(const Error& e, Lang lang) {
  const auto& cat = Catalogue();
  auto it = cat.find(e.key);
  std::string text;
  if (it != cat.end()) {
    text = lang == Lang::kZh ? it->second.zh : it->second.en;
  } else {
    const Text fallback = [&]() -> Text {
      switch (e.code) {
        case ErrorCode::kInvalid:
          return {"请求无效", "Invalid request"};
        case ErrorCode::kUnauthenticated:
          return {"请先登录", "Please log in"};
        case ErrorCode::kForbidden:
          return {"没有权限执行此操作", "You are not allowed to do this"};
        case ErrorCode::kNotFound:
          return {"找不到该内容", "Not found"};
        case ErrorCode::kConflict:
        case ErrorCode::kUnprocessable:
          return {"当前状态不允许此操作", "Not allowed in the current state"};
        default:
          return {"服务器暂时无法处理，请稍后再试", "The server cannot handle this now; try again later"};
      }
    }();
    text = lang == Lang::kZh ? fallback.zh : fallback.en;
  }
  const auto pos = text.find("{f}");
  if (pos != std::string::npos) {
    std::string label = e.field;
    const auto& labels = FieldLabels();
    if (auto l = labels.find(e.label.empty() ? e.field : e.label); l != labels.end()) {
      label = lang == Lang::kZh ? l->second.zh : l->second.en;
    } else if (label.empty()) {
      label = lang == Lang::kZh ? "该项" : "The value";
    }
    text.replace(pos, 3, label);
  }
  // {d}: the error's detail, where a message states a value ("¥12.00").
  if (const auto d = text.find("{d}"); d != std::string::npos) {
    text.replace(d, 3, e.detail);
  }
  return text;
}

Response Err(const Error& e, const Request& req) { return ErrorResponse(e, req.lang); }

Response Err(const Error& e, const Request& req, json::object extra) {
  return ErrorResponse(e, req.lang, std::move(extra));
}

Response ErrorResponse(const Error& e, Lang lang, json::object extra) {
  json::object err = std::move(extra);
  err["code"] = e.key.empty() ? "error" : e.key;
  err["message"] = ErrorMessage(e, lang);
  err["field"] = e.field.empty() ? json::value(nullptr) : json::value(e.field);
  Response r = JsonResponse(StatusFor(e.code), json::object{{"error", std::move(err)}});
  if (e.code == ErrorCode::kRateLimited || e.code == ErrorCode::kBusy || e.code == ErrorCode::kUnavailable) {
    r.Set("Retry-After", std::to_string(std::max<int64_t>(1, e.retry_after_s)));
  }
  return r;
}

}  // namespace carecity::http
