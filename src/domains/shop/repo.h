// SQL for the shop (shop_products, shop_orders, shop_order_lines), given a
// transaction. Every change of stock or of an order's status is one
// conditional UPDATE: it returns whether it happened, and the caller never
// decides from an earlier read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "db/tx.h"
#include "domains/shop/model.h"

namespace carecity::shop::repo {

int64_t InsertProduct(db::Tx& tx, const Product& p, int64_t created_by);
std::optional<Product> FindProduct(db::Tx& tx, int64_t id);
std::optional<Product> FindProductByPublicId(db::Tx& tx, const std::string& public_id);
// Changes what a listing says and sends it back to review (the fund approves
// what sells under its name). False if it is withdrawn (or gone).
bool UpdateProduct(db::Tx& tx, const Product& p, int64_t now_ms);
// Adds `quantity` to the stock of a listing not withdrawn; the new stock, or
// nullopt if it is withdrawn.
std::optional<int64_t> Restock(db::Tx& tx, int64_t id, int64_t quantity, int64_t now_ms);
bool Withdraw(db::Tx& tx, int64_t id, int64_t now_ms);
// pending_approval -> `status` (approved | rejected). False if not pending.
bool Review(db::Tx& tx, int64_t id, const std::string& status, const std::optional<std::string>& note,
            int64_t reviewer, int64_t now_ms);
// Approved listings, newest first, by the filter (`q`: media::BuildSearch
// over title and description). Errors: BuildSearch's, naming "q".
Result<std::vector<Product>> ListProducts(db::Tx& tx, const ProductFilter& f);
// Stores the product's ordered photos (media::EncodePhotos).
void SetPhotos(db::Tx& tx, int64_t id, const std::vector<media::Image>& photos);
// An organisation's listings in every state, newest first.
std::vector<Product> ListOfOrg(db::Tx& tx, int64_t org_id, const std::string& before, int limit);

// Takes `quantity` from an approved product's stock if that much is left:
// the product as it is after the write, or nullopt (sold out, not on sale).
std::optional<Product> TakeStock(db::Tx& tx, int64_t product_id, int64_t quantity);
// Gives `quantity` back.
void ReturnStock(db::Tx& tx, int64_t product_id, int64_t quantity);

int64_t InsertOrder(db::Tx& tx, const Order& o);
void InsertLine(db::Tx& tx, int64_t order_id, const OrderLine& l);
void SetOrderPayment(db::Tx& tx, int64_t order_id, int64_t payment_id);
void SetDeliveryBox(db::Tx& tx, int64_t order_id, const std::string& box);
std::optional<Order> FindOrder(db::Tx& tx, int64_t id);
std::optional<Order> FindOrderByPublicId(db::Tx& tx, const std::string& public_id);
std::optional<Order> FindOrderByPickupCode(db::Tx& tx, const std::string& code);
std::vector<Order> ListOrdersOfBuyer(db::Tx& tx, int64_t user_id, const std::string& before, int limit);
std::vector<Order> ListOrdersOfOrg(db::Tx& tx, int64_t org_id, const std::string& before, int limit);
// Unpaid orders past their expiry: (order id, payment id), oldest first.
std::vector<std::pair<int64_t, int64_t>> DueOrders(db::Tx& tx, int64_t now_ms, int limit);

// pending_payment -> `status` (cancelled | expired). False if it was not pending.
bool CloseOrder(db::Tx& tx, int64_t id, const std::string& status, int64_t now_ms);
// pending_payment -> ready_for_pickup (with its pickup code) or paid (delivery).
bool MarkOrderPaid(db::Tx& tx, int64_t id, const std::optional<std::string>& pickup_code, int64_t now_ms);
void SetReceipt(db::Tx& tx, int64_t id, const std::optional<std::string>& receipt_no);
// paid -> shipped (delivery orders).
bool MarkShipped(db::Tx& tx, int64_t id, const std::string& carrier, const std::string& tracking_no, int64_t now_ms);
// shipped -> completed.
bool MarkDelivered(db::Tx& tx, int64_t id, int64_t now_ms);
// ready_for_pickup -> completed.
bool MarkPickedUp(db::Tx& tx, int64_t id, int64_t now_ms);
// The buyer's orders still waiting to be paid (not past their expiry).
int64_t UnpaidOrdersOf(db::Tx& tx, int64_t buyer_user_id, int64_t now_ms);
// `quantity` more of the order's line for `product_id` went back; false
// (nothing changed) if more than is left of it.
bool RefundLine(db::Tx& tx, int64_t order_id, int64_t product_id, int64_t quantity);
// A paid status -> refunded.
bool MarkRefunded(db::Tx& tx, int64_t id, const std::string& reason, int64_t now_ms);

}  // namespace carecity::shop::repo
