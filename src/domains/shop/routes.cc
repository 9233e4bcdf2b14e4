#include "domains/shop/routes.h"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "core/crypto.h"
#include "core/qr.h"
#include "core/text.h"
#include "domains/accounts/routes.h"
#include "domains/payments/routes.h"
#include "http/json.h"
#include "media/markdown.h"
#include "media/routes.h"
#include "media/search.h"

namespace carecity::shop {
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

constexpr int kDefaultPage = 20;
constexpr int kMaxPage = 100;

struct Deps {
  ShopService& shop;
  AccountsService& accounts;
};

// Errors; shop.sold_out and shop.not_on_sale also name the product.
Response ShopErr(const Error& e, const Request& req) {
  if ((e.key == "shop.sold_out" || e.key == "shop.not_on_sale") && !e.detail.empty()) {
    return Err(e, req, json::object{{"product_id", e.detail}});
  }
  return Err(e, req);
}

json::object DonationJson(const Donation& d) { return json::object{{"kind", d.kind}, {"value", d.value}}; }

json::object ProductJson(const Product& p) {
  const Fen donation = DonationPart(p.donation, p.price_fen);
  return json::object{{"id", p.public_id},
                      {"org", json::object{{"id", p.org_id}, {"name", p.org_name}}},
                      {"title", p.title},
                      {"description", p.description},
                      {"description_html", media::RenderMarkdown(p.description)},
                      {"photos", media::PhotosJson(p.photos)},
                      {"category", p.category},
                      {"price_fen", p.price_fen},
                      {"donation", DonationJson(p.donation)},
                      {"donation_fen", donation},
                      {"goods_value_fen", p.price_fen - donation},
                      {"stock", p.stock},
                      {"status", p.status},
                      {"review_note", Opt(p.review_note)},
                      {"created_at_ms", p.created_at_ms},
                      {"updated_at_ms", p.updated_at_ms}};
}

json::array ProductsJson(const std::vector<Product>& ps) {
  json::array out;
  for (const Product& p : ps) {
    out.push_back(ProductJson(p));
  }
  return out;
}

json::object OrderJson(const OrderView& v) {
  const Order& o = v.order;
  json::array items;
  for (const OrderLine& l : o.lines) {
    items.push_back(json::object{{"product_id", l.product_public_id},
                                 {"org", json::object{{"id", l.org_id}, {"name", l.org_name}}},
                                 {"title", l.title},
                                 {"quantity", l.quantity},
                                 {"unit_price_fen", l.unit_price_fen},
                                 {"unit_donation_fen", l.unit_donation_fen},
                                 {"total_fen", l.unit_price_fen * l.quantity},
                                 {"donation_fen", l.unit_donation_fen * l.quantity},
                                 {"refunded_quantity", l.refunded_quantity}});
  }
  json::object fulfilment{{"kind", o.fulfilment}};
  if (v.venue) {
    fulfilment["venue"] =
        json::object{{"id", v.venue->id}, {"name", v.venue->name}, {"address", v.venue->address}};
  }
  if (v.delivery) {
    fulfilment["delivery"] = json::object{
        {"name", v.delivery->name}, {"phone", v.delivery->phone}, {"address", v.delivery->address}};
    fulfilment["delivery_masked"] = v.delivery_masked;
  }
  fulfilment["carrier"] = Opt(o.carrier);
  fulfilment["tracking_no"] = Opt(o.tracking_no);
  json::object out{{"id", o.public_id},
                   {"status", o.status},
                   {"total_fen", o.total_fen},
                   {"donation_fen", o.donation_fen},
                   {"goods_value_fen", o.goods_value_fen()},
                   {"refunded_fen", o.refunded_fen()},
                   {"receipt_no", Opt(o.receipt_no)},
                   {"items", items},
                   {"fulfilment", fulfilment},
                   {"created_at_ms", o.created_at_ms},
                   {"expires_at_ms", o.expires_at_ms},
                   {"paid_at_ms", Opt(o.paid_at_ms)},
                   {"shipped_at_ms", Opt(o.shipped_at_ms)},
                   {"completed_at_ms", Opt(o.completed_at_ms)},
                   {"closed_at_ms", Opt(o.closed_at_ms)}};
  if (v.buyer) {
    out["pickup_code"] = Opt(o.pickup_code);
  } else {
    out["buyer"] = MaskPersonName(o.buyer_name);
  }
  if (v.payment_public_id) {
    out["payment"] = json::object{{"id", *v.payment_public_id}, {"status", Opt(v.payment_status)}};
  }
  return out;
}

json::array OrdersJson(const std::vector<OrderView>& vs) {
  json::array out;
  for (const OrderView& v : vs) {
    out.push_back(OrderJson(v));
  }
  return out;
}

// The answer to an action on one product or one order.
Response ProductAnswer(const Result<Product>& r, const Request& req, int status = 200) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  return http::JsonResponse(status, json::object{{"product", ProductJson(*r)}});
}

Response OrderAnswer(const Result<OrderView>& r, const Request& req) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  return http::JsonResponse(200, json::object{{"order", OrderJson(*r)}});
}

// ?before=<cursor>&limit=: the next page's cursor is the last item's id
// (a public id: `next_cursor`).
struct Page {
  std::string before;
  int limit = kDefaultPage;
};

Result<Page> PageOf(const Request& req) {
  std::string before = req.Query("before").value_or("");
  if (!before.empty() && !IsPublicId(before)) {
    return Error::Invalid("invalid_value", "before");
  }
  auto limit = http::QueryId(req, "limit");
  if (!limit.ok()) {
    return std::move(limit).error();
  }
  return Page{std::move(before), static_cast<int>(std::clamp<int64_t>(limit->value_or(kDefaultPage), 1, kMaxPage))};
}

// The cursor of the page after `items` (full pages only), or null.
template <class T, class F>
json::value NextCursor(const std::vector<T>& items, int limit, F id_of) {
  if (items.empty() || static_cast<int>(items.size()) < limit) {
    return nullptr;
  }
  return json::value(id_of(items.back()));
}

// A page of products or orders with the cursor of the next one.
Response ProductsPage(const Result<std::vector<Product>>& r, int limit, const Request& req) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  return http::JsonResponse(
      200, json::object{{"products", ProductsJson(*r)},
                        {"next_cursor", NextCursor(*r, limit, [](const Product& x) { return x.public_id; })}});
}

Response OrdersPage(const Result<std::vector<OrderView>>& r, int limit, const Request& req) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  return http::JsonResponse(
      200, json::object{{"orders", OrdersJson(*r)},
                        {"next_cursor", NextCursor(*r, limit, [](const OrderView& x) { return x.order.public_id; })}});
}

// The donation field of a listing: {kind, value}.
std::optional<Donation> ReadDonation(Fields& f, const json::value* raw, bool required) {
  if (raw == nullptr || raw->is_null()) {
    if (required) {
      f.Fail(Error::Invalid("missing_field", "donation"));
    }
    return std::nullopt;
  }
  if (!raw->is_object()) {
    f.Fail(Error::Invalid("invalid_type", "donation"));
    return std::nullopt;
  }
  Fields df(raw->get_object());
  auto kind = df.String("kind", {.max = 10});
  auto value = df.Int("value", {.required = false, .min = 0, .max = ShopService::kMaxPriceFen});
  if (auto s = df.Finish(); !s.ok()) {
    Error e = s.error();
    e.field = "donation." + e.field;
    e.label = "donation";
    f.Fail(e);
    return std::nullopt;
  }
  return Donation{*kind, value.value_or(0)};
}

awaitable<Response> CreateProduct(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto org = f.Int("org_id", {.min = 1});
  auto title = f.String("title", {.min = 2, .max = 60});
  auto desc = f.String("description", {.required = false, .max = 20000, .multiline = true});
  auto category = f.String("category", {.max = 20});
  auto price = f.Int("price_fen", {.min = 1, .max = ShopService::kMaxPriceFen});
  auto stock = f.Int("stock", {.min = 0, .max = ShopService::kMaxStock});
  auto donation = ReadDonation(f, f.Raw("donation"), true);
  auto photos = media::PhotoIds(f.Raw("photo_ids"));
  if (!photos.ok()) {
    f.Fail(photos.error());
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  ProductInput in{*org, *title, desc.value_or(""), *category, *price, *stock, *donation,
                  photos->value_or(std::vector<std::string>{})};
  auto r = co_await d.shop.CreateProduct(p, std::move(in));
  co_return ProductAnswer(r, req, 201);
}

awaitable<Response> EditProduct(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  ProductEdit in;
  in.title = f.String("title", {.required = false, .min = 2, .max = 60});
  in.description = f.String("description", {.required = false, .max = 20000, .multiline = true});
  in.category = f.String("category", {.required = false, .max = 20});
  in.price_fen = f.Int("price_fen", {.required = false, .min = 1, .max = ShopService::kMaxPriceFen});
  in.donation = ReadDonation(f, f.Raw("donation"), false);
  auto photos = media::PhotoIds(f.Raw("photo_ids"));
  if (!photos.ok()) {
    f.Fail(photos.error());
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  in.photo_ids = std::move(*photos);
  std::string id(req.Param("id"));
  auto r = co_await d.shop.EditProduct(p, std::move(id), std::move(in));
  co_return ProductAnswer(r, req);
}

awaitable<Response> Restock(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto quantity = f.Int("quantity", {.min = 1, .max = ShopService::kMaxStock});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  auto r = co_await d.shop.Restock(p, std::move(id), *quantity);
  co_return ProductAnswer(r, req);
}

awaitable<Response> Withdraw(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.shop.Withdraw(p, std::move(id));
  co_return ProductAnswer(r, req);
}

awaitable<Response> ReviewProduct(Deps d, Request& req, bool approve) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::optional<std::string> note;
  if (!req.body.empty()) {
    CC_PARSE_BODY(body, req);
    Fields f(body);
    note = f.String("reason", {.required = !approve, .min = 2, .max = 200, .multiline = true});
    if (auto s = f.Finish(); !s.ok()) {
      co_return Err(s.error(), req);
    }
  } else if (!approve) {
    co_return Err(Error::Invalid("missing_field", "reason"), req);
  }
  std::string id(req.Param("id"));
  auto r = co_await d.shop.Review(p, std::move(id), approve, std::move(note));
  co_return ProductAnswer(r, req);
}

awaitable<Response> Approve(Deps d, Request& req) { co_return co_await ReviewProduct(d, req, true); }
awaitable<Response> Reject(Deps d, Request& req) { co_return co_await ReviewProduct(d, req, false); }

awaitable<Response> ListProducts(Deps d, Request& req) {
  auto page = PageOf(req);
  auto org = http::QueryId(req, "org_id");
  auto min_price = http::QueryId(req, "min_price_fen");
  auto max_price = http::QueryId(req, "max_price_fen");
  if (!page.ok()) {
    co_return Err(page.error(), req);
  }
  for (const auto* r : {&org, &min_price, &max_price}) {
    if (!r->ok()) {
      co_return Err(r->error(), req);
    }
  }
  ProductFilter f;
  f.before = page->before;
  f.limit = page->limit;
  f.org_id = *org;
  f.min_price_fen = *min_price;
  f.max_price_fen = *max_price;
  if (auto c = req.Query("category"); c && !c->empty()) {
    if (!IsCategory(*c)) {
      co_return Err(Error::Invalid("invalid_value", "category"), req);
    }
    f.category = *c;
  }
  // Full-text (media::BuildSearch: at most 100 characters and 8 words,
  // checked there); blank means no search.
  if (auto q = req.Query("q"); q && q->find_first_not_of(" \t\r\n") != std::string_view::npos) {
    if (!IsValidUtf8(*q) || q->size() > 4 * media::kMaxSearchChars) {
      co_return Err(Error::Invalid("invalid_value", "q"), req);
    }
    f.q = *q;
  }
  if (auto s = req.Query("status"); s && !s->empty()) {
    if (*s != "approved" && *s != "pending_approval") {
      co_return Err(Error::Invalid("invalid_value", "status"), req);
    }
    f.status = *s;
  }
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  auto r = co_await d.shop.ListProducts(std::move(p), std::move(f));
  co_return ProductsPage(r, page->limit, req);
}

awaitable<Response> GetProduct(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.shop.GetProduct(std::move(p), std::move(id));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  const FundConfig& fc = d.accounts.config().fund;
  json::object product = ProductJson(r->product);
  product["fundraiser"] = json::object{{"name", fc.fundraiser_name},
                                       {"credit_code", fc.fundraiser_credit_code},
                                       {"fund_name", fc.fund_name}};
  product["fund_purpose"] = json::object{
      {"id", Opt(r->fund.purpose_id)}, {"name", r->fund.name}, {"filing_no", r->fund.filing_no}};
  co_return http::JsonResponse(200, json::object{{"product", product}});
}

awaitable<Response> OrgProducts(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(org, req, "id", "org_not_found");
  auto page = PageOf(req);
  if (!page.ok()) {
    co_return Err(page.error(), req);
  }
  auto r = co_await d.shop.OrgProducts(p, org, page->before, page->limit);
  co_return ProductsPage(r, page->limit, req);
}

// {kind:"pickup", venue_id} | {kind:"delivery", name, phone, address}
void ReadFulfilment(Fields& f, const json::value* raw, CheckoutInput& in) {
  if (raw == nullptr || raw->is_null()) {
    f.Fail(Error::Invalid("missing_field", "fulfilment"));
    return;
  }
  if (!raw->is_object()) {
    f.Fail(Error::Invalid("invalid_type", "fulfilment"));
    return;
  }
  Fields ff(raw->get_object());
  auto kind = ff.String("kind", {.max = 10});
  if (kind && *kind == "pickup") {
    in.venue_id = ff.Int("venue_id", {.min = 1});
  } else if (kind && *kind == "delivery") {
    auto name = ff.String("name", {.min = 1, .max = 32});
    auto phone = ff.String("phone", {.max = 20});
    auto address = ff.String("address", {.min = 5, .max = 200});
    if (phone && !IsMainlandMobile(*phone)) {
      ff.Fail(Error::Invalid("invalid_phone", "phone"));
    }
    in.delivery = Delivery{name.value_or(""), phone.value_or(""), address.value_or("")};
  } else if (kind) {
    ff.Fail(Error::Invalid("invalid_value", "kind", "pickup or delivery"));
  }
  if (auto s = ff.Finish(); !s.ok()) {
    Error e = s.error();
    e.field = "fulfilment." + e.field;
    e.label = "fulfilment";
    f.Fail(e);
    return;
  }
  in.fulfilment = *kind;
}

void ReadItems(Fields& f, const json::value* raw, std::vector<OrderItem>& out) {
  if (raw == nullptr || !raw->is_array() || raw->get_array().empty() ||
      raw->get_array().size() > ShopService::kMaxItems) {
    f.Fail(Error::Invalid(raw == nullptr ? "missing_field" : "invalid_value", "items"));
    return;
  }
  std::set<std::string> seen;
  const json::array& items = raw->get_array();
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string prefix = "items[" + std::to_string(i) + "].";
    if (!items[i].is_object()) {
      f.Fail(Error::Invalid("invalid_type", "items[" + std::to_string(i) + "]", {}));
      return;
    }
    Fields itf(items[i].get_object());
    auto product = itf.String("product_id", {.max = 40});
    auto quantity = itf.Int("quantity", {.min = 1, .max = ShopService::kMaxQuantity});
    if (auto s = itf.Finish(); !s.ok()) {
      Error e = s.error();
      e.label = e.field;
      e.field = prefix + e.field;
      f.Fail(e);
      return;
    }
    if (!IsPublicId(*product)) {
      Error e{ErrorCode::kNotFound, "shop.product_not_found", prefix + "product_id", {}};
      f.Fail(e);
      return;
    }
    if (!seen.insert(*product).second) {
      Error e = Error::Invalid("duplicate_item", prefix + "product_id");
      e.label = "product_id";
      f.Fail(e);
      return;
    }
    out.push_back({*product, *quantity});
  }
}

awaitable<Response> PlaceOrder(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto idem = IdempotencyKey(req);
  if (!idem.ok()) {
    co_return Err(idem.error(), req);
  }
  const std::string key = std::move(*idem);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  CheckoutInput in;
  ReadItems(f, f.Raw("items"), in.items);
  ReadFulfilment(f, f.Raw("fulfilment"), in);
  auto anonymous = f.Bool("anonymous", false);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  in.anonymous = anonymous.value_or(false);
  in.payer_ip = req.remote_ip;
  auto r = co_await d.shop.PlaceOrder(p, std::move(in), key);
  if (!r.ok()) {
    co_return ShopErr(r.error(), req);
  }
  const Order& o = r->order;
  co_return http::JsonResponse(
      201, json::object{{"order", json::object{{"id", o.public_id},
                                               {"status", o.status},
                                               {"total_fen", o.total_fen},
                                               {"donation_fen", o.donation_fen},
                                               {"goods_value_fen", o.goods_value_fen()},
                                               {"expires_at_ms", o.expires_at_ms}}},
                        {"payment", payments::PaymentJson(r->payment, d.shop.payments())}});
}

awaitable<Response> GetOrder(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.shop.GetOrder(p, std::move(id));
  co_return OrderAnswer(r, req);
}

awaitable<Response> PickupQr(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto code = co_await d.shop.PickupCode(p, std::move(id));
  if (!code.ok()) {
    co_return Err(code.error(), req);
  }
  Response res;
  res.status = 200;
  res.body = QrSvg(*code);
  res.Set("Content-Type", "image/svg+xml");
  res.Set("Cache-Control", "private, no-store");
  co_return res;
}

awaitable<Response> MyOrders(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto page = PageOf(req);
  if (!page.ok()) {
    co_return Err(page.error(), req);
  }
  auto r = co_await d.shop.MyOrders(p, page->before, page->limit);
  co_return OrdersPage(r, page->limit, req);
}

awaitable<Response> OrgOrders(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(org, req, "id", "org_not_found");
  auto page = PageOf(req);
  if (!page.ok()) {
    co_return Err(page.error(), req);
  }
  auto r = co_await d.shop.OrgOrders(p, org, page->before, page->limit);
  co_return OrdersPage(r, page->limit, req);
}

awaitable<Response> CancelOrder(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.shop.CancelOrder(p, std::move(id));
  co_return OrderAnswer(r, req);
}

awaitable<Response> Ship(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto carrier = f.String("carrier", {.min = 2, .max = 40});
  auto tracking = f.String("tracking_no", {.min = 4, .max = 40});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  auto r = co_await d.shop.Ship(p, std::move(id), *carrier, *tracking);
  co_return OrderAnswer(r, req);
}

awaitable<Response> Complete(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.shop.ConfirmDelivered(p, std::move(id));
  co_return OrderAnswer(r, req);
}

awaitable<Response> Refund(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto reason = f.String("reason", {.min = 2, .max = 200, .multiline = true});
  // Without items: all that is left. With them, an Idempotency-Key too: a
  // part can be refunded again, so a retry must not be a second refund.
  std::vector<OrderItem> items;
  const json::value* raw = f.Raw("items");
  if (raw != nullptr) {
    ReadItems(f, raw, items);
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string key;
  if (raw != nullptr || !req.Header("idempotency-key").empty()) {
    auto k = IdempotencyKey(req);
    if (!k.ok()) {
      co_return Err(k.error(), req);
    }
    key = std::move(*k);
  }
  std::string id(req.Param("id"));
  auto r = co_await d.shop.RefundOrder(p, std::move(id), *reason, std::move(items), std::move(key));
  co_return OrderAnswer(r, req);
}

awaitable<Response> Pickup(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto code = f.String("code", {.min = 1, .max = 64});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.shop.ConfirmPickup(p, *code);
  co_return OrderAnswer(r, req);
}

}  // namespace

void RegisterRoutes(http::Router& router, ShopService& shop, AccountsService& accounts) {
  const auto bind = [&shop, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&shop, &accounts, fn](Request& req) { return fn(Deps{shop, accounts}, req); };
  };
  router.Add("GET", "/api/v1/shop/products", bind(ListProducts));
  router.Add("POST", "/api/v1/shop/products", bind(CreateProduct));
  router.Add("GET", "/api/v1/shop/products/{id}", bind(GetProduct));
  router.Add("PATCH", "/api/v1/shop/products/{id}", bind(EditProduct));
  router.Add("POST", "/api/v1/shop/products/{id}/restock", bind(Restock));
  router.Add("POST", "/api/v1/shop/products/{id}/withdraw", bind(Withdraw));
  router.Add("POST", "/api/v1/shop/products/{id}/approve", bind(Approve));
  router.Add("POST", "/api/v1/shop/products/{id}/reject", bind(Reject));
  router.Add("GET", "/api/v1/shop/orgs/{id}/products", bind(OrgProducts));
  router.Add("GET", "/api/v1/shop/orgs/{id}/orders", bind(OrgOrders));
  router.Add("POST", "/api/v1/shop/orders", bind(PlaceOrder));
  router.Add("GET", "/api/v1/shop/orders", bind(MyOrders));
  router.Add("GET", "/api/v1/shop/orders/{id}", bind(GetOrder));
  router.Add("GET", "/api/v1/shop/orders/{id}/pickup-qr.svg", bind(PickupQr));
  router.Add("POST", "/api/v1/shop/orders/{id}/cancel", bind(CancelOrder));
  router.Add("POST", "/api/v1/shop/orders/{id}/ship", bind(Ship));
  router.Add("POST", "/api/v1/shop/orders/{id}/complete", bind(Complete));
  router.Add("POST", "/api/v1/shop/orders/{id}/refund", bind(Refund));
  router.Add("POST", "/api/v1/shop/pickups", bind(Pickup));
}

}  // namespace carecity::shop
