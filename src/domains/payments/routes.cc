#include "domains/payments/routes.h"

#include "domains/accounts/routes.h"
#include "http/json.h"

namespace carecity::payments {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using boost::asio::awaitable;
using http::Err;
using http::Opt;
using http::Request;
using http::Response;

struct Deps {
  PaymentsService& payments;
  AccountsService& accounts;
};

// The payer's actions on /{id} share their shape: who asks, call, render.
using PaymentAction = Task<Payment> (PaymentsService::*)(std::string, Caller);

awaitable<Response> OnPayment(Deps d, Request& req, PaymentAction action) {
  Caller caller = co_await accounts::CallerOf(d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await (d.payments.*action)(std::move(id), std::move(caller));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"payment", PaymentJson(*r, d.payments)}});
}

json::object ActionJson(const PayAction& a) {
  if (a.kind == PayAction::Kind::kJsapi) {
    json::object params;
    for (const auto& [k, v] : a.jsapi) {
      params[k] = v;
    }
    return json::object{{"type", "jsapi"}, {"params", std::move(params)}};
  }
  return json::object{{"type", "redirect"}, {"url", a.url}};
}

// POST /api/v1/payments/{id}/checkout {"scene": "jsapi"|"h5"|""}: the pay
// page opens the order at the provider for the scene it is in.
awaitable<Response> Checkout(Deps d, Request& req) {
  Caller caller = co_await accounts::CallerOf(d.accounts, req);
  CC_PARSE_OPTIONAL_BODY(body, req);
  http::Fields f(body);
  PaymentsService::CheckoutAsk ask;
  ask.scene = f.String("scene", {.required = false, .max = 10}).value_or("");
  if (auto st = f.Finish(); !st.ok()) {
    co_return Err(st.error(), req);
  }
  ask.payer_ip = req.remote_ip;
  std::string id(req.Param("id"));
  auto action = co_await d.payments.Checkout(std::move(id), std::move(caller), std::move(ask));
  if (!action.ok()) {
    co_return Err(action.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"action", ActionJson(*action)}});
}

// GET /api/v1/payments/orphans: money paid at a provider for payments we
// had closed, and whether it went back. Fund admins only.
awaitable<Response> ListOrphans(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(principal, d.accounts, req);
  if (!principal.Has(accounts::Role::kFundAdmin)) {
    co_return Err(Error::Forbidden(), req);
  }
  auto orphans = co_await d.payments.Orphans();
  if (!orphans.ok()) {
    co_return Err(orphans.error(), req);
  }
  json::array items;
  for (const PaymentOrphan& o : *orphans) {
    items.push_back(json::object{{"provider", o.provider},
                                 {"out_trade_no", o.out_trade_no},
                                 {"transaction_id", o.transaction_id},
                                 {"amount_fen", o.amount_fen},
                                 {"received_at_ms", o.received_at_ms},
                                 {"out_refund_no", o.out_refund_no},
                                 {"status", o.status},
                                 {"detail", o.detail},
                                 {"settled_at_ms", Opt(o.settled_at_ms)}});
  }
  co_return http::JsonResponse(200, json::object{{"orphans", std::move(items)}});
}

// The provider's notification, with its raw body whatever its type (JSON
// for WeChat Pay, a form for Alipay); the provider's own reply when handled.
awaitable<Response> Notify(PaymentsService& svc, Request& req) {
  const HeaderLookup header = [&req](std::string_view name) { return req.Header(name); };
  const std::string provider(req.Param("provider"));
  auto r = co_await svc.HandleNotify(provider, req.body, header);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  NotifyReply reply = svc.Acknowledge(provider, *r);
  Response res;
  res.status = reply.status;
  res.Set("Content-Type", reply.content_type);
  res.body = std::move(reply.body);
  co_return res;
}

}  // namespace

json::object PaymentJson(const Payment& p, const PaymentsService& service) {
  return json::object{{"id", p.public_id},
                      {"provider", p.provider},
                      {"status", p.status},
                      {"amount_fen", p.amount_fen},
                      {"description", p.description},
                      {"pay_url", service.PayUrl(p)},
                      {"return_url", service.ReturnUrl(p)},
                      {"created_at_ms", p.created_at_ms},
                      {"paid_at_ms", Opt(p.paid_at_ms)}};
}

void RegisterRoutes(http::Router& router, PaymentsService& s, AccountsService& accounts) {
  const auto on = [&s, &accounts](PaymentAction action) {
    return [&s, &accounts, action](Request& req) { return OnPayment(Deps{s, accounts}, req, action); };
  };
  router.Add("GET", "/api/v1/payments/orphans",
             [&s, &accounts](Request& req) { return ListOrphans(Deps{s, accounts}, req); });
  router.Add("GET", "/api/v1/payments/{id}", on(&PaymentsService::Get));
  router.Add("POST", "/api/v1/payments/{id}/query", on(&PaymentsService::Query));
  // The payer gives up, at any provider (closed there first).
  router.Add("POST", "/api/v1/payments/{id}/cancel", on(&PaymentsService::Cancel));
  router.Add("POST", "/api/v1/payments/{id}/checkout",
             [&s, &accounts](Request& req) { return Checkout(Deps{s, accounts}, req); });
  // The sandbox's pay page; 404 when the sandbox is not configured.
  router.Add("POST", "/api/v1/payments/sandbox/{id}/pay", on(&PaymentsService::SandboxPay));
  router.Add("POST", "/api/v1/payments/sandbox/{id}/cancel", on(&PaymentsService::SandboxCancel));
  // Each provider posts its notifications to its own URL: notify/sandbox, ...
  router.Add(
      "POST", "/api/v1/payments/notify/{provider}", [&s](Request& req) { return Notify(s, req); },
      http::RouteOptions{.from_servers = true});
}

}  // namespace carecity::payments
