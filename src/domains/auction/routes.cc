#include "domains/auction/routes.h"

#include <boost/json.hpp>

#include <algorithm>

#include "core/money.h"
#include "domains/accounts/routes.h"
#include "domains/payments/routes.h"
#include "http/json.h"
#include "media/routes.h"

namespace carecity::auction {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using accounts::Principal;
using boost::asio::awaitable;
using http::Err;
using http::Fields;
using http::Opt;
using http::Request;
using http::Response;

constexpr int64_t kMaxPage = 100;

struct Deps {
  AuctionService& auction;
  AccountsService& accounts;
  payments::PaymentsService& payments;
};

// 200 {lot} as `p` may see it, or the error.
Response LotAnswer(const Result<Lot>& r, const Principal& p, const Deps& d, const Request& req) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  const std::optional<Principal> viewer = p;
  return http::JsonResponse(200, json::object{{"lot", LotView(*r, viewer, d.auction.clock().NowMs())}});
}

awaitable<Response> CreateLot(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto title = f.String("title", {.min = 1, .max = 100});
  auto description = f.String("description", {.required = false, .max = 5000, .multiline = true});
  auto donor_name = f.String("donor_name", {.min = 1, .max = 100});
  auto market_value = f.Int("market_value_fen", {.required = false, .min = 0});
  auto starts_at = f.Int("starts_at_ms", {.min = 1});
  auto ends_at = f.Int("ends_at_ms", {.min = 1});
  auto start_price = f.Int("start_price_fen", {.min = 1});
  auto reserve = f.Int("reserve_fen", {.required = false, .min = 1});
  auto purpose = f.Int("purpose_id", {.required = false, .min = 1});
  auto photos = media::PhotoIds(f.Raw("photo_ids"));
  if (!photos.ok()) {
    f.Fail(photos.error());
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  NewLot in{*title,   description.value_or(""), *donor_name, market_value, *starts_at, *ends_at,
            *start_price, reserve, purpose, photos->value_or(std::vector<std::string>{})};
  std::string ip = req.remote_ip;
  auto r = co_await d.auction.CreateLot(p, std::move(in), std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"lot", json::object{{"id", r->public_id}, {"status", r->status}}}});
}

awaitable<Response> ApproveLot(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.auction.ApproveLot(p, std::move(id), std::move(ip));
  co_return LotAnswer(r, p, d, req);
}

awaitable<Response> ListLots(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  std::string status = req.Query("status").value_or("");
  std::string before = req.Query("before").value_or("");
  auto limit = http::QueryId(req, "limit");
  if (!limit.ok()) {
    co_return Err(limit.error(), req);
  }
  const int page = static_cast<int>(std::min<int64_t>(limit->value_or(kMaxPage), kMaxPage));
  auto r = co_await d.auction.ListLots(p, std::move(status), std::move(before), page);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  const int64_t now = d.auction.clock().NowMs();
  json::array lots;
  for (const Lot& l : *r) {
    lots.push_back(LotView(l, p, now));
  }
  // A full page may have more after it: its last lot is the next cursor.
  const json::value next = static_cast<int>(r->size()) == page ? json::value(r->back().public_id) : nullptr;
  // now_ms: the server's clock, for the countdowns (the page learns its offset).
  co_return http::JsonResponse(200, json::object{{"lots", lots}, {"next_cursor", next}, {"now_ms", now}});
}

awaitable<Response> GetLot(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.auction.ViewLot(p, std::move(id));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  const int64_t now = d.auction.clock().NowMs();
  json::object lot = LotView(r->lot, p, now);
  if (p) {
    lot["my_max_fen"] = Opt(r->my_max_fen);
  }
  co_return http::JsonResponse(200, json::object{{"lot", lot}, {"now_ms", now}});
}

awaitable<Response> LotBids(Deps d, Request& req) {
  std::string id(req.Param("id"));
  auto r = co_await d.auction.PublicBids(std::move(id));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array bids;
  for (const BidRecord& b : *r) {
    bids.push_back(PublicBidJson(b));
  }
  co_return http::JsonResponse(200, json::object{{"bids", bids}});
}

// A refused bid as an error naming why; too low also names the minimum.
Response Refused(const PlacedBid& b, const Request& req) {
  Error e = b.rejection == "auction.bid_too_low"
                ? Error{ErrorCode::kUnprocessable, b.rejection, "max_fen", "¥" + FormatYuan(b.min_fen)}
                : Error::Conflict(b.rejection);
  return Err(e, req,
             json::object{{"min_fen", b.min_fen},
                          {"lot", json::object{{"price_fen", Opt(b.lot.state.price_fen)},
                                               {"ends_at_ms", b.lot.state.ends_at_ms}}}});
}

awaitable<Response> PlaceBid(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto key = http::IdempotencyKey(req);
  if (!key.ok()) {
    co_return Err(key.error(), req);
  }
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto max_fen = f.Int("max_fen", {.min = 1});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string idempotency_key = *key;
  auto r = co_await d.auction.PlaceBid(p, std::move(id), *max_fen, std::move(idempotency_key));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  if (!r->accepted) {
    co_return Refused(*r, req);
  }
  const int64_t now = d.auction.clock().NowMs();
  json::object lot = LotJson(r->lot, now);
  co_return http::JsonResponse(
      201, json::object{{"bid", json::object{{"id", r->bid.public_id},
                                             {"accepted", true},
                                             {"max_fen", r->bid.max_fen},
                                             {"at_ms", r->bid.at_ms},
                                             {"extended", r->bid.extended}}},
                        {"lot", lot},
                        {"leading", r->leading}});
}

awaitable<Response> MyBids(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.auction.MyBids(p);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array bids;
  for (const BidRecord& b : *r) {
    bids.push_back(json::object{{"id", b.public_id},
                                {"lot", json::object{{"id", b.lot_public_id}, {"title", b.lot_title}}},
                                {"max_fen", b.max_fen},
                                {"at_ms", b.at_ms},
                                {"accepted", b.accepted},
                                {"reject_reason", Opt(b.reject_reason)},
                                {"price_after_fen", Opt(b.price_after_fen)},
                                {"leading_after", b.leading_after}});
  }
  co_return http::JsonResponse(200, json::object{{"bids", bids}});
}

// The lots the caller bid on and where they stand, with the payment to
// make for a lot they won (id and pay_url null until one is opened).
awaitable<Response> MyLots(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.auction.MyLots(p);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  const std::optional<Principal> viewer = p;
  const int64_t now = d.auction.clock().NowMs();
  json::array bids;
  for (const MyLotBid& b : *r) {
    json::object o{{"lot", LotView(b.lot, viewer, now)}, {"my_max_fen", b.my_max_fen}, {"state", b.state}};
    if (b.awaiting_payment) {
      o["payment"] = json::object{{"id", b.payment ? json::value(b.payment->public_id) : nullptr},
                                  {"pay_url", b.payment ? json::value(d.payments.PayUrl(*b.payment)) : nullptr},
                                  {"pay_by_ms", Opt(b.lot.pay_by_ms)}};
    }
    bids.push_back(std::move(o));
  }
  co_return http::JsonResponse(200, json::object{{"bids", bids}});
}

awaitable<Response> Pay(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.auction.Pay(p, std::move(id), std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::object payment = payments::PaymentJson(r->payment, d.payments);
  payment["pay_url"] = r->pay_url;
  co_return http::JsonResponse(200, json::object{{"payment", payment}});
}

awaitable<Response> OfferRunnerUp(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.auction.OfferRunnerUp(p, std::move(id), std::move(ip));
  co_return LotAnswer(r, p, d, req);
}

awaitable<Response> AcceptOffer(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.auction.AcceptOffer(p, std::move(id));
  co_return LotAnswer(r, p, d, req);
}

awaitable<Response> DeclineOffer(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.auction.DeclineOffer(p, std::move(id));
  co_return LotAnswer(r, p, d, req);
}

}  // namespace

void RegisterRoutes(http::Router& router, AuctionService& auction, AccountsService& accounts,
                    payments::PaymentsService& payments) {
  const auto bind = [&auction, &accounts, &payments](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&auction, &accounts, &payments, fn](Request& req) { return fn(Deps{auction, accounts, payments}, req); };
  };
  router.Add("POST", "/api/v1/auction/lots", bind(CreateLot));
  router.Add("GET", "/api/v1/auction/lots", bind(ListLots));
  router.Add("GET", "/api/v1/auction/lots/{id}", bind(GetLot));
  router.Add("POST", "/api/v1/auction/lots/{id}/approve", bind(ApproveLot));
  router.Add("GET", "/api/v1/auction/lots/{id}/bids", bind(LotBids));
  router.Add("POST", "/api/v1/auction/lots/{id}/bids", bind(PlaceBid));
  router.Add("POST", "/api/v1/auction/lots/{id}/pay", bind(Pay));
  router.Add("POST", "/api/v1/auction/lots/{id}/offer-runner-up", bind(OfferRunnerUp));
  router.Add("POST", "/api/v1/auction/lots/{id}/accept-offer", bind(AcceptOffer));
  router.Add("POST", "/api/v1/auction/lots/{id}/decline-offer", bind(DeclineOffer));
  router.Add("GET", "/api/v1/auction/my/bids", bind(MyBids));
  router.Add("GET", "/api/v1/me/auction/bids", bind(MyLots));
}

}  // namespace carecity::auction
