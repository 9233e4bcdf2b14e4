#include "domains/payments/routes.h"

#include <charconv>

#include "http/json.h"

namespace carecity::payments {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using http::Request;
using http::Err;
using http::Opt;
using http::Response;


Response PaymentResponse(const Result<Payment>& r, const Request& req) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  return http::JsonResponse(200, json::object{{"payment", PaymentJson(*r)}});
}

// The four payment actions on /{id} share their shape: parse the id, call, render.
using PaymentAction = Task<Payment> (PaymentsService::*)(int64_t);

awaitable<Response> OnPayment(PaymentsService& svc, Request& req, PaymentAction action) {
  auto id = http::ParseId(req.Param("id"));
  if (!id) {
    co_return Err(Error::NotFound("payment_not_found"), req);
  }
  auto r = co_await (svc.*action)(*id);
  co_return PaymentResponse(r, req);
}

awaitable<Response> Notify(PaymentsService& svc, Request& req) {
  const HeaderLookup header = [&req](std::string_view name) { return req.Header(name); };
  const std::string provider(req.Param("provider"));
  auto r = co_await svc.HandleNotify(provider, req.body, header);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  // Providers read only the status; the outcome helps whoever debugs.
  const char* outcome = *r == ConfirmOutcome::kCredited ? "credited" : *r == ConfirmOutcome::kDuplicate ? "duplicate"
                                                                                                        : "rejected";
  co_return http::JsonResponse(200, json::object{{"code", "SUCCESS"}, {"outcome", outcome}});
}

}  // namespace

json::object PaymentJson(const Payment& p) {
  return json::object{{"id", p.id},
                      {"provider", p.provider},
                      {"status", p.status},
                      {"amount_fen", p.amount_fen},
                      {"description", p.description},
                      {"pay_url", PaymentsService::PayUrl(p)},
                      {"return_url", p.return_url},
                      {"created_at_ms", p.created_at_ms},
                      {"paid_at_ms", p.paid_at_ms ? json::value(*p.paid_at_ms) : json::value(nullptr)}};
}

void RegisterRoutes(http::Router& router, PaymentsService& s) {
  const auto on = [&s](PaymentAction action) {
    return [&s, action](Request& req) { return OnPayment(s, req, action); };
  };
  router.Add("GET", "/api/v1/payments/{id}", on(&PaymentsService::Get));
  router.Add("POST", "/api/v1/payments/{id}/query", on(&PaymentsService::Query));
  router.Add("POST", "/api/v1/payments/sandbox/{id}/pay", on(&PaymentsService::SandboxPay));
  router.Add("POST", "/api/v1/payments/sandbox/{id}/cancel", on(&PaymentsService::Cancel));
  // Each provider posts its notifications to its own URL: notify/sandbox, ...
  router.Add("POST", "/api/v1/payments/notify/{provider}", [&s](Request& req) { return Notify(s, req); });
}

}  // namespace carecity::payments
