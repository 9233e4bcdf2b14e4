// 公益商城: organisations list products, a fund admin approves them (they
// sell under the Care Fund's name), buyers order them with stock reserved in
// the order's transaction, pay through PaymentsService (purpose
// "shop_order"), and collect them (pickup code) or have them delivered.
//
// Stock: an order takes each line's quantity with a conditional UPDATE
// (`stock >= q`, status approved) in ascending product id order, inside the
// order's write job; the first line that does not fit fails the job, so
// nothing is reserved (shop.sold_out). The stock is given back exactly once:
// by whichever conditional status change (pending_payment -> cancelled /
// expired, or a paid status -> refunded) succeeds.
//
// Thread-safety: immutable after construction; safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/service.h"
#include "domains/events/service.h"
#include "domains/fund/service.h"
#include "domains/payments/service.h"
#include "domains/shop/model.h"
#include "media/service.h"

namespace carecity::shop {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

struct ProductInput {
  int64_t org_id = 0;
  std::string title;
  std::string description;
  std::string category;
  Fen price_fen = 0;
  int64_t stock = 0;
  Donation donation;
  std::vector<std::string> photo_ids;  // the caller's unused images, in order (0..9)
};

// Fields of an edit; absent ones keep their value.
struct ProductEdit {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> category;
  std::optional<Fen> price_fen;
  std::optional<Donation> donation;
  std::optional<std::vector<std::string>> photo_ids;  // replaces the photos (the removed ones are released)
};

// The fund that receives the shop's donation parts, as a product page shows it.
struct ShopFund {
  std::optional<int64_t> purpose_id;  // nullopt: the general fund
  std::string name;
  std::string filing_no;
};

struct ProductPage {
  Product product;
  ShopFund fund;
};

// A product (public id) and how many: a line to buy, or what to refund of one.
struct OrderItem {
  std::string product_id;  // public id
  int64_t quantity = 0;
};

struct CheckoutInput {
  std::vector<OrderItem> items;
  std::string fulfilment;            // pickup | delivery
  std::optional<int64_t> venue_id;   // pickup
  Delivery delivery;                 // delivery
  bool anonymous = false;            // 匿名 on the receipt's public views
  std::string payer_ip;
};

struct OrderCreated {
  Order order;
  payments::Payment payment;
};

// An order as one viewer may see it.
struct OrderView {
  Order order;
  std::optional<events::Venue> venue;
  std::optional<Delivery> delivery;   // clear for the buyer and the seller's staff, masked for others
  bool delivery_masked = false;
  bool buyer = false;                 // the viewer bought it (sees the pickup code)
  std::optional<std::string> payment_public_id;
  std::optional<std::string> payment_status;
};

class ShopService {
 public:
  static constexpr int64_t kMaxPriceFen = 10'000'000;   // ¥100,000 an item
  static constexpr int64_t kMaxStock = 1'000'000;
  static constexpr int64_t kMaxQuantity = 99;
  static constexpr size_t kMaxItems = 20;

  // `data_key` seals delivery details (the data key casework uses).
  // Photos are attached through `media` in the product's own transactions.
  ShopService(db::Store& store, accounts::AccountsService& accounts, events::EventsService& events,
              fund::FundService& fund, payments::PaymentsService& payments, const media::MediaService& media,
              const Clock& clock, const Config& config, std::string data_key);

  // --- Products. org_staff of the product's organisation, except where said.
  // Errors: forbidden (not staff of in.org_id), org_not_found, invalid_value
  // naming the field, too_long (description), and for photo_ids
  // MediaService::ReplacePhotosInTx's (too_many_photos, duplicate_photo,
  // image_not_found 404, image_in_use 409): nothing is written then.
  Task<Product> CreateProduct(const accounts::Principal& p, ProductInput in);
  // Sends the listing back to review. Errors: shop.product_not_found,
  // forbidden, shop.product_withdrawn, invalid_value.
  Task<Product> EditProduct(const accounts::Principal& p, std::string public_id, ProductEdit in);
  Task<Product> Restock(const accounts::Principal& p, std::string public_id, int64_t quantity);
  Task<Product> Withdraw(const accounts::Principal& p, std::string public_id);
  // fund_admin: pending_approval -> approved | rejected. Errors: forbidden,
  // shop.product_not_found, shop.product_not_pending.
  Task<Product> Review(const accounts::Principal& p, std::string public_id, bool approve,
                       std::optional<std::string> note);
  // Public: approved listings; filter.status "pending_approval" lists every
  // organisation's listings waiting for review, for fund admins only
  // (forbidden otherwise).
  Task<std::vector<Product>> ListProducts(std::optional<accounts::Principal> p, ProductFilter filter);
  // Approved listings for anyone; others for their organisation's staff and
  // fund admins only (else shop.product_not_found).
  Task<ProductPage> GetProduct(std::optional<accounts::Principal> p, std::string public_id);
  // Staff: every listing of their organisation.
  Task<std::vector<Product>> OrgProducts(const accounts::Principal& p, int64_t org_id, std::string before, int limit);

  // --- Orders
  // Idempotent on (buyer, key). Errors: shop.sold_out (detail: the product's
  // public id), shop.not_on_sale, shop.product_not_found, venue_not_found,
  // idempotency_key_reused, payments_unavailable.
  Task<OrderCreated> PlaceOrder(const accounts::Principal& p, CheckoutInput in, std::string idempotency_key);
  // The buyer, the staff of an organisation selling in it, fund admins;
  // anyone else shop.order_not_found.
  Task<OrderView> GetOrder(const accounts::Principal& p, std::string public_id);
  // The pickup code of the buyer's own order while it waits to be picked
  // up; shop.pickup_not_found otherwise (anyone else's: shop.order_not_found).
  Task<std::string> PickupCode(const accounts::Principal& p, std::string public_id);
  Task<std::vector<OrderView>> MyOrders(const accounts::Principal& p, std::string before, int limit);
  Task<std::vector<OrderView>> OrgOrders(const accounts::Principal& p, int64_t org_id, std::string before, int limit);
  // The buyer, while pending_payment: closes the payment, then the order
  // (its stock returns). Errors: shop.order_not_found, shop.order_not_cancellable.
  Task<OrderView> CancelOrder(const accounts::Principal& p, std::string public_id);
  // Seller staff: paid delivery order -> shipped.
  Task<OrderView> Ship(const accounts::Principal& p, std::string public_id, std::string carrier,
                       std::string tracking_no);
  // The buyer or seller staff: shipped -> completed.
  Task<OrderView> ConfirmDelivered(const accounts::Principal& p, std::string public_id);
  // Seller staff: the pickup code of a ready order -> completed. Errors:
  // shop.pickup_not_found (no such code, or not an order of the caller's
  // organisation), shop.pickup_used.
  Task<OrderView> ConfirmPickup(const accounts::Principal& p, std::string code);
  // Refunds a paid order through the payment provider: all that is left of
  // it (`items` empty; fund_admin, or staff of every seller in the order),
  // or the given quantities of its lines (fund_admin, or staff of every
  // seller among those lines). The sale's books are reversed for what went
  // back (a new 捐赠票据 for the donation part that stays), the stock
  // returns, and the order is `refunded` once nothing is left. `key` (the
  // Idempotency-Key; required with items) makes a retry the same refund.
  // Errors: shop.order_not_found, shop.order_not_refundable,
  // shop.refund_too_many (more of a line than is left), refund_under_way,
  // idempotency_key_reused, insufficient_funds.
  Task<OrderView> RefundOrder(const accounts::Principal& p, std::string public_id, std::string reason,
                              std::vector<OrderItem> items = {}, std::string key = {});

  // Closes unpaid orders past their expiry (payment first, then the order,
  // whose stock returns). Several servers may run it at once: each order is
  // released once. Returns how many it closed.
  Task<int64_t> ExpireDueOrders();

  const payments::PaymentsService& payments() const { return payments_; }

  // --- Inside a caller's transaction (the demo seeder)
  Result<Product> CreateProductTx(db::Tx& tx, int64_t actor, const ProductInput& in, int64_t now_ms);
  Result<Product> ReviewTx(db::Tx& tx, int64_t reviewer, int64_t product_id, bool approve,
                           const std::optional<std::string>& note, int64_t now_ms);

  // The fund receiving the donation parts ([shop] purpose), in a transaction.
  ShopFund FundTx(db::Tx& tx);

 private:
  Result<Product> ProductForStaffTx(db::Tx& tx, const accounts::Principal& p, const std::string& public_id);
  Result<Order> OrderForViewerTx(db::Tx& tx, const accounts::Principal& p, const std::string& public_id);
  OrderView ViewTx(db::Tx& tx, const accounts::Principal& p, Order o);
  // Staff of an organisation selling in the order (they see it, and confirm
  // its pickup at the venue) / of every organisation selling in it (they
  // ship, complete or refund it).
  bool IsSellerStaff(const accounts::Principal& p, const Order& o) const;
  bool SellsWholeOrder(const accounts::Principal& p, const Order& o) const;
  // Makes the product's photos `ids` (the actor's images), in its transaction.
  Status SetPhotosTx(db::Tx& tx, int64_t actor, Product& product, const std::vector<std::string>& ids);
  std::string SealDelivery(int64_t order_id, const Delivery& d) const;
  std::optional<Delivery> OpenDelivery(const Order& o) const;

  // Payment handlers (purpose "shop_order").
  Status OnPaidTx(db::Tx& tx, const payments::Payment& payment, int64_t now_ms);
  Status OnClosedTx(db::Tx& tx, const payments::Payment& payment, int64_t now_ms);
  Status OnRefundRequestedTx(db::Tx& tx, const payments::Payment& payment, const payments::PaymentRefund& r,
                             int64_t now_ms);
  Status OnRefundWithdrawnTx(db::Tx& tx, const payments::Payment& payment);
  Status OnRefundedTx(db::Tx& tx, const payments::Payment& payment, const payments::PaymentRefund& r,
                      int64_t now_ms);
  void ReturnStockTx(db::Tx& tx, const Order& o);

  db::Store& store_;
  accounts::AccountsService& accounts_;
  events::EventsService& events_;
  fund::FundService& fund_;
  payments::PaymentsService& payments_;
  const media::MediaService& media_;
  const Clock& clock_;
  const Config& config_;
  std::string data_key_;
};

}  // namespace carecity::shop
