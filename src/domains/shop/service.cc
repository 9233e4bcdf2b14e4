#include "domains/shop/service.h"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "db/lock.h"
#include "db/rate_limit.h"
#include "db/idempotency.h"
#include "domains/audit/service.h"
#include "domains/shop/repo.h"
#include "media/markdown.h"

namespace carecity::shop {
namespace {

namespace json = boost::json;
using accounts::Principal;
using accounts::Role;

constexpr const char* kPurpose = "shop_order";
constexpr int kExpiryBatch = 200;

Error ProductNotFound() { return Error::NotFound("shop.product_not_found"); }
Error OrderNotFound() { return Error::NotFound("shop.order_not_found"); }

void Audit(db::Tx& tx, int64_t actor, const std::string& action, const std::string& type, int64_t id,
           const json::object& detail, int64_t now_ms) {
  audit::Record(tx, {actor, action, type, std::to_string(id), json::serialize(detail), ""}, now_ms);
}

Status CheckDonation(const Donation& d, Fen price_fen) {
  if (!IsDonationKind(d.kind)) {
    return Error::Invalid("invalid_value", "donation.kind", "fixed, percent or all");
  }
  if (d.kind == "fixed" && (d.value < 0 || d.value > price_fen)) {
    return Error::Invalid("shop.donation_above_price", "donation.value", "0 to the price");
  }
  if (d.kind == "percent" && (d.value < 1 || d.value > 100)) {
    return Error::Invalid("invalid_value", "donation.value", "1 to 100");
  }
  if (d.kind == "all" && d.value != 0) {
    return Error::Invalid("invalid_value", "donation.value", "none for all proceeds");
  }
  return {};
}

Status CheckListing(const std::string& category, Fen price_fen, const Donation& donation) {
  if (!IsCategory(category)) {
    return Error::Invalid("invalid_value", "category", "handmade, souvenir, books or other");
  }
  if (price_fen < 1 || price_fen > ShopService::kMaxPriceFen) {
    return Error::Invalid("invalid_value", "price_fen");
  }
  return CheckDonation(donation, price_fen);
}

// What the request said, for the Idempotency-Key's replay check.
std::string RequestHash(const CheckoutInput& in) {
  std::string s = in.fulfilment + "|" + std::to_string(in.venue_id.value_or(0)) + "|" + in.delivery.name + "|" +
                  in.delivery.phone + "|" + in.delivery.address + "|" + (in.anonymous ? "1" : "0");
  for (const OrderItem& i : in.items) {
    s += "|" + i.product_id + "x" + std::to_string(i.quantity);
  }
  return Sha256Hex(s);
}

// Lines of an order and how many of each: what is sold, or goes back.
using LineCounts = std::vector<std::pair<const OrderLine*, int64_t>>;

LineCounts AllOf(const Order& o) {
  LineCounts out;
  for (const OrderLine& l : o.lines) {
    out.emplace_back(&l, l.quantity);
  }
  return out;
}

// What goes where when an order is paid (or part of it refunded): the
// donation part to the shop's fund with its 捐赠票据, the goods value owed
// to each selling organisation (one payable per organisation, ascending id).
std::vector<fund::SalePayable> PayablesOf(const LineCounts& lines) {
  std::map<int64_t, Fen> by_org;
  for (const auto& [l, n] : lines) {
    by_org[l->org_id] += (l->unit_price_fen - l->unit_donation_fen) * n;
  }
  std::vector<fund::SalePayable> out;
  for (const auto& [org, amount] : by_org) {
    if (amount > 0) {
      out.push_back({org, amount});
    }
  }
  return out;
}

Fen PriceOf(const LineCounts& lines) {
  Fen sum = 0;
  for (const auto& [l, n] : lines) {
    sum += l->unit_price_fen * n;
  }
  return sum;
}

fund::SaleRefund RefundOf(const LineCounts& lines, const std::string& reason) {
  fund::SaleRefund r;
  for (const auto& [l, n] : lines) {
    r.fund_fen += l->unit_donation_fen * n;
  }
  r.receipt_fen = r.fund_fen;
  r.payables = PayablesOf(lines);
  r.reason = reason;
  return r;
}

// A refund's detail, stored with the payment's refund request and read
// again when it is booked: "product_id:quantity,..." (internal ids,
// ascending); "" is all that is left.
std::string EncodeRefund(LineCounts lines) {
  std::sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first->product_id < b.first->product_id; });
  std::string out;
  for (const auto& [l, n] : lines) {
    out += (out.empty() ? "" : ",") + std::to_string(l->product_id) + ":" + std::to_string(n);
  }
  return out;
}

// The lines a refund's detail names, against what is left of them now.
// Errors: shop.refund_too_many (more of a line than is left),
// shop.order_not_refundable (nothing is left).
Result<LineCounts> DecodeRefund(const Order& o, std::string_view detail) {
  LineCounts out;
  if (detail.empty()) {
    for (const OrderLine& l : o.lines) {
      if (l.left() > 0) {
        out.emplace_back(&l, l.left());
      }
    }
    if (out.empty()) {
      return Error::Conflict("shop.order_not_refundable");
    }
    return out;
  }
  while (!detail.empty()) {
    const size_t comma = detail.find(',');
    const std::string_view part = detail.substr(0, comma);
    detail = comma == std::string_view::npos ? std::string_view() : detail.substr(comma + 1);
    const size_t colon = part.find(':');
    int64_t product = 0;
    int64_t n = 0;
    if (colon == std::string_view::npos ||
        std::from_chars(part.data(), part.data() + colon, product).ec != std::errc() ||
        std::from_chars(part.data() + colon + 1, part.data() + part.size(), n).ec != std::errc() || n <= 0) {
      return Error::Internal("unreadable shop refund detail");
    }
    const auto l = std::find_if(o.lines.begin(), o.lines.end(),
                                [product](const OrderLine& x) { return x.product_id == product; });
    if (l == o.lines.end()) {
      return Error::Internal("shop refund of a line not in the order");
    }
    if (n > l->left()) {
      return Error{ErrorCode::kConflict, "shop.refund_too_many", "items", {}};
    }
    out.emplace_back(&*l, n);
  }
  return out;
}

std::string DeliveryContext(int64_t order_id) { return "shop_orders.delivery_box." + std::to_string(order_id); }

}  // namespace

ShopService::ShopService(db::Store& store, accounts::AccountsService& accounts, events::EventsService& events,
                         fund::FundService& fund, payments::PaymentsService& payments,
                         const media::MediaService& media, const Clock& clock, const Config& config,
                         std::string data_key)
    : store_(store),
      accounts_(accounts),
      events_(events),
      fund_(fund),
      payments_(payments),
      media_(media),
      clock_(clock),
      config_(config),
      data_key_(std::move(data_key)) {
  payments::PaymentHandlers h;
  h.paid = [this](db::Tx& tx, const payments::Payment& p, int64_t now) { return OnPaidTx(tx, p, now); };
  h.closed = [this](db::Tx& tx, const payments::Payment& p, int64_t now) { return OnClosedTx(tx, p, now); };
  h.refund_requested = [this](db::Tx& tx, const payments::Payment& p, const payments::PaymentRefund& r,
                              int64_t now) { return OnRefundRequestedTx(tx, p, r, now); };
  h.refund_withdrawn = [this](db::Tx& tx, const payments::Payment& p, const payments::PaymentRefund&, int64_t) {
    return OnRefundWithdrawnTx(tx, p);
  };
  h.refunded = [this](db::Tx& tx, const payments::Payment& p, const payments::PaymentRefund& r, int64_t now) {
    return OnRefundedTx(tx, p, r, now);
  };
  payments_.Handle(kPurpose, std::move(h));
}

ShopFund ShopService::FundTx(db::Tx& tx) {
  if (!config_.shop.purpose.empty()) {
    if (auto purpose = fund_.FindPurposeByCodeTx(tx, config_.shop.purpose)) {
      return ShopFund{purpose->id, purpose->name, purpose->filing_no};
    }
    // Not (yet) a purpose: the general fund receives the gifts.
  }
  return ShopFund{std::nullopt, config_.fund.fund_name, config_.fund.general_filing_no};
}

// ---- Products

Task<Product> ShopService::CreateProduct(const Principal& p, ProductInput in) {
  if (!p.HasOrgRole(Role::kOrgStaff, in.org_id)) {
    co_return Error::Forbidden();
  }
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return CreateProductTx(tx, p.user_id, in, now); });
}

Status ShopService::SetPhotosTx(db::Tx& tx, int64_t actor, Product& product, const std::vector<std::string>& ids) {
  const std::string ref = "shop_product:" + std::to_string(product.id);
  auto photos = media_.ReplacePhotosInTx(tx, actor, product.photos, ids, ref, "photo_ids");
  CC_TRY(photos);
  product.photos = std::move(*photos);
  repo::SetPhotos(tx, product.id, product.photos);
  return {};
}

Result<Product> ShopService::CreateProductTx(db::Tx& tx, int64_t actor, const ProductInput& in, int64_t now_ms) {
  CC_TRY(CheckListing(in.category, in.price_fen, in.donation));
  CC_TRY(media::CheckMarkdown(in.description, "description"));
  if (in.stock < 0 || in.stock > kMaxStock) {
    return Error::Invalid("invalid_value", "stock");
  }
  if (!accounts_.FindOrgTx(tx, in.org_id)) {
    return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
  }
  Product product;
  product.public_id = NewPublicId();
  product.org_id = in.org_id;
  product.title = in.title;
  product.description = in.description;
  product.category = in.category;
  product.price_fen = in.price_fen;
  product.donation = in.donation;
  product.stock = in.stock;
  product.created_at_ms = now_ms;
  product.id = repo::InsertProduct(tx, product, actor);
  const int64_t id = product.id;
  if (!in.photo_ids.empty()) {
    CC_TRY(SetPhotosTx(tx, actor, product, in.photo_ids));
  }
  Audit(tx, actor, "shop.product.created", "shop_product", id, {{"org_id", in.org_id}}, now_ms);
  return *repo::FindProduct(tx, id);
}

Result<Product> ShopService::ProductForStaffTx(db::Tx& tx, const Principal& p, const std::string& public_id) {
  auto product = IsPublicId(public_id) ? repo::FindProductByPublicId(tx, public_id) : std::nullopt;
  if (!product) {
    return ProductNotFound();
  }
  if (!p.HasOrgRole(Role::kOrgStaff, product->org_id)) {
    // A listing on sale is public: the caller may know it exists.
    if (product->status == "approved" || p.Has(Role::kFundAdmin)) {
      return Error::Forbidden();
    }
    return ProductNotFound();
  }
  return *product;
}

Task<Product> ShopService::EditProduct(const Principal& p, std::string public_id, ProductEdit in) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Product> {
    CC_ASSIGN_OR_RETURN(Product product, ProductForStaffTx(tx, p, public_id));
    // The edit merges into the row as it is now: locked, and read again, so
    // two edits at once (two servers) apply one after the other.
    db::LockRow(tx, "shop_products", product.id);
    product = *repo::FindProduct(tx, product.id);
    if (in.title) product.title = *in.title;
    if (in.description) product.description = *in.description;
    if (in.category) product.category = *in.category;
    if (in.price_fen) product.price_fen = *in.price_fen;
    if (in.donation) product.donation = *in.donation;
    CC_TRY(CheckListing(product.category, product.price_fen, product.donation));
    CC_TRY(media::CheckMarkdown(product.description, "description"));
    if (in.photo_ids) {
      CC_TRY(SetPhotosTx(tx, p.user_id, product, *in.photo_ids));
    }
    if (!repo::UpdateProduct(tx, product, now)) {
      return Error::Conflict("shop.product_withdrawn");
    }
    Audit(tx, p.user_id, "shop.product.edited", "shop_product", product.id, {}, now);
    return *repo::FindProduct(tx, product.id);
  });
}

Task<Product> ShopService::Restock(const Principal& p, std::string public_id, int64_t quantity) {
  if (quantity < 1 || quantity > kMaxStock) {
    co_return Error::Invalid("invalid_value", "quantity");
  }
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Product> {
    CC_ASSIGN_OR_RETURN(Product product, ProductForStaffTx(tx, p, public_id));
    if (!repo::Restock(tx, product.id, quantity, now)) {
      return Error::Conflict("shop.product_withdrawn");
    }
    Audit(tx, p.user_id, "shop.product.restocked", "shop_product", product.id, {{"quantity", quantity}}, now);
    return *repo::FindProduct(tx, product.id);
  });
}

Task<Product> ShopService::Withdraw(const Principal& p, std::string public_id) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Product> {
    CC_ASSIGN_OR_RETURN(Product product, ProductForStaffTx(tx, p, public_id));
    if (!repo::Withdraw(tx, product.id, now)) {
      return Error::Conflict("shop.product_withdrawn");
    }
    Audit(tx, p.user_id, "shop.product.withdrawn", "shop_product", product.id, {}, now);
    return *repo::FindProduct(tx, product.id);
  });
}

Task<Product> ShopService::Review(const Principal& p, std::string public_id, bool approve,
                                  std::optional<std::string> note) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Product> {
    auto product = IsPublicId(public_id) ? repo::FindProductByPublicId(tx, public_id) : std::nullopt;
    if (!product) {
      return ProductNotFound();
    }
    return ReviewTx(tx, p.user_id, product->id, approve, note, now);
  });
}

Result<Product> ShopService::ReviewTx(db::Tx& tx, int64_t reviewer, int64_t product_id, bool approve,
                                      const std::optional<std::string>& note, int64_t now_ms) {
  const std::string status = approve ? "approved" : "rejected";
  if (!repo::Review(tx, product_id, status, note, reviewer, now_ms)) {
    return Error::Conflict("shop.product_not_pending");
  }
  Audit(tx, reviewer, "shop.product." + status, "shop_product", product_id, {}, now_ms);
  return *repo::FindProduct(tx, product_id);
}

Task<std::vector<Product>> ShopService::ListProducts(std::optional<Principal> p, ProductFilter filter) {
  if (filter.status != "approved" && !(p && p->Has(Role::kFundAdmin))) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Product>> {
    return repo::ListProducts(tx, filter);
  });
}

Task<ProductPage> ShopService::GetProduct(std::optional<Principal> p, std::string public_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<ProductPage> {
    auto product = IsPublicId(public_id) ? repo::FindProductByPublicId(tx, public_id) : std::nullopt;
    if (!product) {
      return ProductNotFound();
    }
    const bool may_see = product->status == "approved" ||
                         (p && (p->HasOrgRole(Role::kOrgStaff, product->org_id) || p->Has(Role::kFundAdmin)));
    if (!may_see) {
      return ProductNotFound();
    }
    return ProductPage{*product, FundTx(tx)};
  });
}

Task<std::vector<Product>> ShopService::OrgProducts(const Principal& p, int64_t org_id, std::string before, int limit) {
  if (!p.HasOrgRole(Role::kOrgStaff, org_id) && !p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Product>> {
    return repo::ListOfOrg(tx, org_id, before, limit);
  });
}

// ---- Orders

Task<OrderCreated> ShopService::PlaceOrder(const Principal& p, CheckoutInput in, std::string idempotency_key) {
  const std::string scope = "shop_order:user:" + std::to_string(p.user_id);
  const std::string request_hash = RequestHash(in);
  const int64_t now = clock_.NowMs();
  auto created = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<OrderCreated> {
    const db::IdempotencyClaim claim = db::ClaimIdempotencyKey(tx, scope, idempotency_key, request_hash, now);
    if (claim.kind == db::IdempotencyClaim::Kind::kMismatch) {
      return Error::Conflict("idempotency_key_reused");
    }
    if (claim.kind == db::IdempotencyClaim::Kind::kReplay) {
      auto o = repo::FindOrder(tx, claim.ref_id);
      auto pay = o ? payments_.FindTx(tx, o->payment_id.value_or(0)) : std::nullopt;
      if (!o || !pay) {
        return Error::Internal("idempotency key points at a missing order");
      }
      return OrderCreated{*o, *pay};
    }
    if (in.fulfilment == "pickup" && !events_.FindVenueTx(tx, in.venue_id.value_or(0))) {
      return Error{ErrorCode::kNotFound, "venue_not_found", "fulfilment.venue_id", {}};
    }
    // Public ids to rows (the mapping never changes), then the stock taken
    // in ascending id order so two orders never wait on each other.
    std::vector<std::pair<int64_t, const OrderItem*>> wanted;
    for (size_t i = 0; i < in.items.size(); ++i) {
      auto product = repo::FindProductByPublicId(tx, in.items[i].product_id);
      if (!product) {
        return Error{ErrorCode::kNotFound, "shop.product_not_found", fmt::format("items[{}].product_id", i), {}};
      }
      wanted.emplace_back(product->id, &in.items[i]);
    }
    std::sort(wanted.begin(), wanted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Order o;
    o.public_id = NewPublicId();
    o.buyer_user_id = p.user_id;
    o.buyer_name = p.display_name;
    o.anonymous = in.anonymous;
    o.fulfilment = in.fulfilment;
    o.venue_id = in.fulfilment == "pickup" ? in.venue_id : std::nullopt;
    o.created_at_ms = now;
    o.expires_at_ms = now + config_.shop.order_expiry_minutes * kMinuteMs;
    o.purpose_id = FundTx(tx).purpose_id;
    for (const auto& [id, item] : wanted) {
      auto taken = repo::TakeStock(tx, id, item->quantity);
      if (!taken) {
        // Nothing is reserved: this error rolls the whole job back. Read
        // again only to say why.
        auto now_is = repo::FindProduct(tx, id);
        Error e = Error::Conflict(now_is && now_is->status == "approved" ? "shop.sold_out" : "shop.not_on_sale");
        e.detail = item->product_id;
        return e;
      }
      // The amounts come from the row as this write left it.
      OrderLine line;
      line.product_id = taken->id;
      line.product_public_id = taken->public_id;
      line.org_id = taken->org_id;
      line.title = taken->title;
      line.quantity = item->quantity;
      line.unit_price_fen = taken->price_fen;
      line.unit_donation_fen = DonationPart(taken->donation, taken->price_fen);
      o.total_fen += line.unit_price_fen * line.quantity;
      o.donation_fen += line.unit_donation_fen * line.quantity;
      o.lines.push_back(std::move(line));
    }
    // Only now, so a sold-out answer costs nothing more: the buyer's row
    // (locked after the products, in every checkout, so none waits on
    // another in reverse) serialises their own checkouts on every server
    // while their unpaid orders are counted.
    db::LockRow(tx, "users", p.user_id);
    if (repo::UnpaidOrdersOf(tx, p.user_id, now) >= config_.shop.max_unpaid_orders) {
      return Error::Conflict("shop.too_many_unpaid");
    }
    if (config_.rate_limits.enabled) {
      // Counted with the order: a refused or sold-out checkout rolls back
      // and was never placed.
      const db::RateDecision d = db::HitRateLimits(
          tx, config_.rate_limits,
          {{"checkout:user:" + std::to_string(p.user_id), config_.rate_limits.checkout_per_account}}, now);
      if (!d.allowed) {
        return Error::RateLimited(d.retry_after_s);
      }
    }
    o.id = repo::InsertOrder(tx, o);
    for (const OrderLine& l : o.lines) {
      repo::InsertLine(tx, o.id, l);
    }
    if (in.fulfilment == "delivery") {
      repo::SetDeliveryBox(tx, o.id, SealDelivery(o.id, in.delivery));  // bound to the row: sealed once it has an id
    }
    payments::NewPayment np;
    np.purpose = kPurpose;
    np.ref_id = o.id;
    np.amount_fen = o.total_fen;
    np.description = config_.fund.fund_name + " 公益商城订单";
    np.return_url = "/shop/orders/" + o.public_id;
    np.payer_user_id = p.user_id;
    CC_ASSIGN_OR_RETURN(payments::Payment payment, payments_.CreateTx(tx, np, now));
    repo::SetOrderPayment(tx, o.id, payment.id);
    db::SetIdempotencyRef(tx, scope, idempotency_key, o.id);
    return OrderCreated{*repo::FindOrder(tx, o.id), payment};
  });
  if (!created.ok()) {
    co_return created;
  }
  // The order is opened at the provider once this is committed.
  auto opened = co_await payments_.OpenIfCreated(created->payment, in.payer_ip);
  if (!opened.ok()) {
    co_return std::move(opened).error();
  }
  co_return created;
}

bool ShopService::SellsWholeOrder(const Principal& p, const Order& o) const {
  return std::all_of(o.lines.begin(), o.lines.end(),
                     [&p](const OrderLine& l) { return p.HasOrgRole(Role::kOrgStaff, l.org_id); });
}

bool ShopService::IsSellerStaff(const Principal& p, const Order& o) const {
  return std::any_of(o.lines.begin(), o.lines.end(),
                     [&p](const OrderLine& l) { return p.HasOrgRole(Role::kOrgStaff, l.org_id); });
}

Result<Order> ShopService::OrderForViewerTx(db::Tx& tx, const Principal& p, const std::string& public_id) {
  auto o = IsPublicId(public_id) ? repo::FindOrderByPublicId(tx, public_id) : std::nullopt;
  if (!o || !(o->buyer_user_id == p.user_id || IsSellerStaff(p, *o) || p.Has(Role::kFundAdmin))) {
    return OrderNotFound();  // someone else's: as if it did not exist
  }
  return *o;
}

std::string ShopService::SealDelivery(int64_t order_id, const Delivery& d) const {
  const std::string plain =
      json::serialize(json::object{{"name", d.name}, {"phone", d.phone}, {"address", d.address}});
  return SealBound(data_key_, plain, DeliveryContext(order_id));
}

std::optional<Delivery> ShopService::OpenDelivery(const Order& o) const {
  if (!o.delivery_box) {
    return std::nullopt;
  }
  auto plain = OpenBound(data_key_, *o.delivery_box, DeliveryContext(o.id));
  if (!plain) {
    spdlog::error("shop: the delivery details of order {} do not open for it", o.id);
    return std::nullopt;
  }
  boost::system::error_code ec;
  const json::value v = json::parse(*plain, ec);
  if (ec || !v.is_object()) {
    return std::nullopt;
  }
  const json::object& obj = v.as_object();
  const auto text = [&obj](const char* k) {
    const json::value* f = obj.if_contains(k);
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
  };
  return Delivery{text("name"), text("phone"), text("address")};
}

OrderView ShopService::ViewTx(db::Tx& tx, const Principal& p, Order o) {
  OrderView v;
  v.buyer = o.buyer_user_id == p.user_id;
  if (o.venue_id) {
    v.venue = events_.FindVenueTx(tx, *o.venue_id);
  }
  if (auto d = OpenDelivery(o)) {
    if (v.buyer || IsSellerStaff(p, o)) {
      v.delivery = std::move(d);
    } else {
      v.delivery = Delivery{MaskPersonName(d->name), MaskPhone(d->phone), "****"};
      v.delivery_masked = true;
    }
  }
  if (!v.buyer) {
    o.pickup_code.reset();  // the buyer's to show; staff confirm it
  }
  if (o.payment_id) {
    if (auto pay = payments_.FindTx(tx, *o.payment_id)) {
      v.payment_public_id = pay->public_id;
      v.payment_status = pay->status;
    }
  }
  o.delivery_box.reset();
  v.order = std::move(o);
  return v;
}

Task<OrderView> ShopService::GetOrder(const Principal& p, std::string public_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<OrderView> {
    CC_ASSIGN_OR_RETURN(Order o, OrderForViewerTx(tx, p, public_id));
    return ViewTx(tx, p, std::move(o));
  });
}

Task<std::string> ShopService::PickupCode(const Principal& p, std::string public_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::string> {
    CC_ASSIGN_OR_RETURN(Order o, OrderForViewerTx(tx, p, public_id));
    if (o.buyer_user_id != p.user_id || !o.pickup_code || o.status != "ready_for_pickup") {
      return Error::NotFound("shop.pickup_not_found");
    }
    return *o.pickup_code;
  });
}

Task<std::vector<OrderView>> ShopService::MyOrders(const Principal& p, std::string before, int limit) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<OrderView>> {
    std::vector<OrderView> out;
    for (Order& o : repo::ListOrdersOfBuyer(tx, p.user_id, before, limit)) {
      out.push_back(ViewTx(tx, p, std::move(o)));
    }
    return out;
  });
}

Task<std::vector<OrderView>> ShopService::OrgOrders(const Principal& p, int64_t org_id, std::string before, int limit) {
  if (!p.HasOrgRole(Role::kOrgStaff, org_id)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<OrderView>> {
    std::vector<OrderView> out;
    for (Order& o : repo::ListOrdersOfOrg(tx, org_id, before, limit)) {
      out.push_back(ViewTx(tx, p, std::move(o)));
    }
    return out;
  });
}

Task<OrderView> ShopService::CancelOrder(const Principal& p, std::string public_id) {
  auto found = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Order> {
    CC_ASSIGN_OR_RETURN(Order o, OrderForViewerTx(tx, p, public_id));
    if (o.buyer_user_id != p.user_id) {
      return OrderNotFound();  // only the buyer cancels
    }
    return o;
  });
  if (!found.ok()) {
    co_return std::move(found).error();
  }
  if (found->status != "pending_payment" || !found->payment_id) {
    co_return Error::Conflict("shop.order_not_cancellable");
  }
  // The payment closes first, at the provider and here; its closed handler
  // closes the order and returns the stock. If the buyer paid first, the
  // provider refuses and the order stays paid.
  auto closed = co_await payments_.Close(*found->payment_id);
  if (!closed.ok()) {
    if (closed.error().key == "payment_not_payable") {
      co_return Error::Conflict("shop.order_not_cancellable");
    }
    co_return std::move(closed).error();
  }
  co_return co_await GetOrder(p, std::move(public_id));
}

Task<OrderView> ShopService::Ship(const Principal& p, std::string public_id, std::string carrier,
                                  std::string tracking_no) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<OrderView> {
    CC_ASSIGN_OR_RETURN(Order o, OrderForViewerTx(tx, p, public_id));
    if (!SellsWholeOrder(p, o)) {
      return Error::Forbidden();  // one seller does not ship another's goods
    }
    if (!repo::MarkShipped(tx, o.id, carrier, tracking_no, now)) {
      return Error::Conflict("shop.order_not_shippable");
    }
    Audit(tx, p.user_id, "shop.order.shipped", "shop_order", o.id, {{"carrier", carrier}}, now);
    return ViewTx(tx, p, *repo::FindOrder(tx, o.id));
  });
}

Task<OrderView> ShopService::ConfirmDelivered(const Principal& p, std::string public_id) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<OrderView> {
    CC_ASSIGN_OR_RETURN(Order o, OrderForViewerTx(tx, p, public_id));
    if (o.buyer_user_id != p.user_id && !SellsWholeOrder(p, o)) {
      return Error::Forbidden();
    }
    if (!repo::MarkDelivered(tx, o.id, now)) {
      return Error::Conflict("shop.order_not_shipped");
    }
    return ViewTx(tx, p, *repo::FindOrder(tx, o.id));
  });
}

Task<OrderView> ShopService::ConfirmPickup(const Principal& p, std::string code) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<OrderView> {
    auto o = IsPublicId(code) ? repo::FindOrderByPickupCode(tx, code) : std::nullopt;
    if (!o || !IsSellerStaff(p, *o)) {
      return Error{ErrorCode::kNotFound, "shop.pickup_not_found", "code", {}};
    }
    if (!repo::MarkPickedUp(tx, o->id, now)) {
      // Taken by another scan (or refunded) meanwhile: the row says which.
      auto now_is = repo::FindOrder(tx, o->id);
      return Error::Conflict(now_is && now_is->status == "completed" ? "shop.pickup_used" : "shop.order_not_ready");
    }
    Audit(tx, p.user_id, "shop.order.picked_up", "shop_order", o->id, {}, now);
    return ViewTx(tx, p, *repo::FindOrder(tx, o->id));
  });
}

Task<OrderView> ShopService::RefundOrder(const Principal& p, std::string public_id, std::string reason,
                                         std::vector<OrderItem> items, std::string key) {
  // The order's payment, and what to ask of it.
  using Ask = std::pair<int64_t, payments::RefundAsk>;
  auto asked = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Ask> {
    CC_ASSIGN_OR_RETURN(Order o, OrderForViewerTx(tx, p, public_id));
    LineCounts lines;
    for (size_t i = 0; i < items.size(); ++i) {
      const auto l = std::find_if(o.lines.begin(), o.lines.end(),
                                  [&](const OrderLine& x) { return x.product_public_id == items[i].product_id; });
      const std::string at = "items[" + std::to_string(i) + "].";
      if (l == o.lines.end()) {
        return Error{ErrorCode::kNotFound, "shop.product_not_found", at + "product_id", {}};
      }
      if (items[i].quantity > l->quantity) {
        return Error{ErrorCode::kConflict, "shop.refund_too_many", at + "quantity", {}};
      }
      lines.emplace_back(&*l, items[i].quantity);
    }
    // A seller gives back only its own goods: all of an order of several
    // organisations goes back through a fund admin, or line by line.
    const bool own = items.empty() ? SellsWholeOrder(p, o)
                                   : std::all_of(lines.begin(), lines.end(), [&p](const auto& x) {
                                       return p.HasOrgRole(Role::kOrgStaff, x.first->org_id);
                                     });
    if (!p.Has(Role::kFundAdmin) && !own) {
      return o.buyer_user_id == p.user_id || IsSellerStaff(p, o) ? Error::Forbidden() : OrderNotFound();
    }
    const std::string& s = o.status;
    // `refunded` too: a retry of the refund that finished it is answered.
    if (!(s == "paid" || s == "ready_for_pickup" || s == "shipped" || s == "completed" || s == "refunded") ||
        !o.payment_id) {
      return Error::Conflict("shop.order_not_refundable");
    }
    // What is left of each line is checked when the request is written,
    // by the refund_requested handler, where no other refund can run.
    payments::RefundAsk ask{.reason = reason, .requested_by = p.user_id, .key = key};
    if (!lines.empty()) {
      ask.amount_fen = PriceOf(lines);
      ask.detail = EncodeRefund(std::move(lines));
    }
    return Ask{*o.payment_id, std::move(ask)};
  });
  if (!asked.ok()) {
    co_return std::move(asked).error();
  }
  auto refunded = co_await payments_.Refund(asked->first, std::move(asked->second));
  if (!refunded.ok()) {
    if (refunded.error().key == "payment_not_refundable") {
      co_return Error::Conflict("shop.order_not_refundable");
    }
    co_return std::move(refunded).error();
  }
  co_return co_await GetOrder(p, std::move(public_id));
}

Task<int64_t> ShopService::ExpireDueOrders() {
  const int64_t now = clock_.NowMs();
  auto due = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<std::pair<int64_t, int64_t>>> {
    return repo::DueOrders(tx, now, kExpiryBatch);
  });
  if (!due.ok()) {
    co_return std::move(due).error();
  }
  int64_t closed = 0;
  for (const auto& [order_id, payment_id] : *due) {
    // Closing the payment closes the order in the same transaction (the
    // closed handler); paid meanwhile, it stays paid.
    auto r = co_await payments_.Close(payment_id);
    if (r.ok()) {
      ++closed;
    } else if (r.error().key != "payment_not_payable") {
      spdlog::warn("shop: closing expired order {} failed: {}", order_id, r.error().key);
    }
  }
  co_return closed;
}

// ---- Payment handlers

void ShopService::ReturnStockTx(db::Tx& tx, const Order& o) {
  for (const OrderLine& l : o.lines) {  // ascending product id, as they were taken
    repo::ReturnStock(tx, l.product_id, l.quantity);
  }
}

Status ShopService::OnPaidTx(db::Tx& tx, const payments::Payment& payment, int64_t now_ms) {
  auto o = repo::FindOrder(tx, payment.ref_id);
  if (!o) {
    return Error::Internal("paid payment for a missing shop order");
  }
  const std::optional<std::string> code =
      o->fulfilment == "pickup" ? std::optional<std::string>(NewPublicId()) : std::nullopt;
  if (!repo::MarkOrderPaid(tx, o->id, code, now_ms)) {
    return Error::Internal("shop order " + std::to_string(o->id) + " paid while not pending");
  }
  fund::Sale sale;
  sale.ref_type = kPurpose;
  sale.ref_id = o->id;
  sale.buyer_user_id = o->buyer_user_id;
  sale.buyer_name = o->buyer_name;
  sale.anonymous = o->anonymous;
  sale.purpose_id = o->purpose_id;
  sale.fund_fen = o->donation_fen;
  sale.receipt_fen = o->donation_fen;
  sale.goods_value_fen = o->goods_value_fen();
  sale.payables = PayablesOf(AllOf(*o));
  sale.memo = "公益商城";
  CC_ASSIGN_OR_RETURN(fund::SaleBooked booked, fund_.BookSaleTx(tx, payment, sale, now_ms));
  repo::SetReceipt(tx, o->id, booked.receipt ? booked.receipt->receipt_no : std::nullopt);
  return {};
}

Status ShopService::OnClosedTx(db::Tx& tx, const payments::Payment& payment, int64_t now_ms) {
  auto o = repo::FindOrder(tx, payment.ref_id);
  if (!o) {
    return {};
  }
  // Expired if past its time, else the buyer cancelled it. The conditional
  // change decides: only the job that makes it returns the stock.
  const std::string status = o->expires_at_ms <= now_ms ? "expired" : "cancelled";
  if (repo::CloseOrder(tx, o->id, status, now_ms)) {
    ReturnStockTx(tx, *o);
  }
  return {};
}

Status ShopService::OnRefundRequestedTx(db::Tx& tx, const payments::Payment& payment,
                                        const payments::PaymentRefund& r, int64_t now_ms) {
  auto o = repo::FindOrder(tx, payment.ref_id);
  if (!o) {
    return Error::Internal("refund for a missing shop order");
  }
  CC_ASSIGN_OR_RETURN(const LineCounts lines, DecodeRefund(*o, r.detail));
  if (PriceOf(lines) != r.amount_fen) {
    return Error::Conflict("shop.order_not_refundable");  // it changed since it was read
  }
  return fund_.HoldSaleRefundTx(tx, kPurpose, o->id, RefundOf(lines, r.reason), now_ms);
}

Status ShopService::OnRefundWithdrawnTx(db::Tx& tx, const payments::Payment& payment) {
  fund_.ReleaseSaleRefundHoldTx(tx, kPurpose, payment.ref_id);
  return {};
}

Status ShopService::OnRefundedTx(db::Tx& tx, const payments::Payment& payment, const payments::PaymentRefund& r,
                                 int64_t now_ms) {
  auto o = repo::FindOrder(tx, payment.ref_id);
  if (!o) {
    return Error::Internal("refund for a missing shop order");
  }
  CC_ASSIGN_OR_RETURN(const LineCounts lines, DecodeRefund(*o, r.detail));
  if (PriceOf(lines) != r.amount_fen) {
    return Error::Internal("shop refund " + r.out_refund_no + " does not match its order");
  }
  int64_t gone_back = 0;
  for (const auto& [l, n] : lines) {  // ascending product id, as stock is taken
    if (!repo::RefundLine(tx, o->id, l->product_id, n)) {
      return Error::Internal("shop refund " + r.out_refund_no + " beyond a line");
    }
    repo::ReturnStock(tx, l->product_id, n);
    gone_back += n;
  }
  int64_t left = 0;
  for (const OrderLine& l : o->lines) {
    left += l.left();
  }
  if (left == gone_back && !repo::MarkRefunded(tx, o->id, r.reason, now_ms)) {
    return Error::Internal("shop order " + std::to_string(o->id) + " refunded while not paid");
  }
  CC_ASSIGN_OR_RETURN(fund::SaleBooked booked,
                      fund_.BookSaleRefundTx(tx, kPurpose, o->id, RefundOf(lines, r.reason), r.requested_by, now_ms));
  if (booked.receipt) {  // a gift remains: its new receipt (a full refund voids the old one and issues none)
    repo::SetReceipt(tx, o->id, booked.receipt->receipt_no);
  }
  return {};
}

}  // namespace carecity::shop
