#include "domains/shop/repo.h"

#include <string_view>

#include "core/text.h"
#include "media/search.h"

namespace carecity::shop::repo {
namespace {

const media::SearchSpec kProductSearch{"shop_products", {"title", "description"}};

constexpr std::string_view kProductColumns =
    "p.id, p.public_id, p.org_id, o.name, p.title, p.description, p.category, p.price_fen, p.donation_kind, "
    "p.donation_value, p.stock, p.status, p.review_note, p.created_at_ms, p.updated_at_ms, p.photos "
    "FROM shop_products p JOIN orgs o ON o.id = p.org_id";

Product ProductFromRow(const db::Row& r) {
  Product p;
  p.id = r.Int(0);
  p.public_id = r.Text(1);
  p.org_id = r.Int(2);
  p.org_name = r.Text(3);
  p.title = r.Text(4);
  p.description = r.Text(5);
  p.category = r.Text(6);
  p.price_fen = r.Int(7);
  p.donation = Donation{r.Text(8), r.Int(9)};
  p.stock = r.Int(10);
  p.status = r.Text(11);
  p.review_note = r.OptText(12);
  p.created_at_ms = r.Int(13);
  p.updated_at_ms = r.Int(14);
  p.photos = media::DecodePhotos(r.Text(15));
  return p;
}

std::vector<Product> Products(const db::Rows& rows) { return rows.Map(ProductFromRow); }

std::optional<Product> OneProduct(const db::Rows& rows) {
  return rows.empty() ? std::nullopt : std::optional<Product>(ProductFromRow(rows.front()));
}

constexpr std::string_view kOrderColumns =
    "SELECT id, public_id, buyer_user_id, buyer_name, status, total_fen, donation_fen, purpose_id, fulfilment, "
    "venue_id, delivery_box, pickup_code, carrier, tracking_no, payment_id, receipt_no, expires_at_ms, "
    "created_at_ms, paid_at_ms, shipped_at_ms, completed_at_ms, closed_at_ms, close_reason, anonymous FROM shop_orders ";

Order OrderFromRow(const db::Row& r) {
  Order o;
  o.id = r.Int(0);
  o.public_id = r.Text(1);
  o.buyer_user_id = r.OptInt(2);
  o.buyer_name = r.Text(3);
  o.status = r.Text(4);
  o.total_fen = r.Int(5);
  o.donation_fen = r.Int(6);
  o.purpose_id = r.OptInt(7);
  o.fulfilment = r.Text(8);
  o.venue_id = r.OptInt(9);
  o.delivery_box = r.OptText(10);
  o.pickup_code = r.OptText(11);
  o.carrier = r.OptText(12);
  o.tracking_no = r.OptText(13);
  o.payment_id = r.OptInt(14);
  o.receipt_no = r.OptText(15);
  o.expires_at_ms = r.Int(16);
  o.created_at_ms = r.Int(17);
  o.paid_at_ms = r.OptInt(18);
  o.shipped_at_ms = r.OptInt(19);
  o.completed_at_ms = r.OptInt(20);
  o.closed_at_ms = r.OptInt(21);
  o.close_reason = r.OptText(22);
  o.anonymous = r.Bool(23);
  return o;
}

void LoadLines(db::Tx& tx, Order& o) {
  const auto rows = tx.Query(
      "SELECT l.product_id, p.public_id, l.org_id, g.name, l.title, l.quantity, l.unit_price_fen, "
      "l.unit_donation_fen, l.refunded_quantity FROM shop_order_lines l JOIN shop_products p ON p.id = l.product_id "
      "JOIN orgs g ON g.id = l.org_id WHERE l.order_id = $1 ORDER BY l.product_id",
      {o.id});
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    o.lines.push_back(
        {r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6), r.Int(7), r.Int(8)});
  }
}

std::optional<Order> OneOrder(db::Tx& tx, const db::Rows& rows) {
  if (rows.empty()) {
    return std::nullopt;
  }
  Order o = OrderFromRow(rows.front());
  LoadLines(tx, o);
  return o;
}

std::vector<Order> Orders(db::Tx& tx, const db::Rows& rows) {
  std::vector<Order> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(OrderFromRow(rows[i]));
    LoadLines(tx, out.back());
  }
  return out;
}

// Pages go by public id (the cursor is the last row seen): rows older than
// it, or from the newest when there is none.
std::optional<std::string> Cursor(const std::string& before) {
  return before.empty() ? std::nullopt : std::optional<std::string>(before);
}
constexpr std::string_view kProductCursor =
    "p.id < COALESCE((SELECT c.id FROM shop_products c WHERE c.public_id = $1), 9223372036854775807)";
constexpr std::string_view kOrderCursor =
    "id < COALESCE((SELECT c.id FROM shop_orders c WHERE c.public_id = $2), 9223372036854775807)";

}  // namespace

int64_t InsertProduct(db::Tx& tx, const Product& p, int64_t created_by) {
  return tx.Insert(
      "INSERT INTO shop_products (public_id, org_id, title, description, category, price_fen, donation_kind, "
      "donation_value, stock, status, created_by, created_at_ms, updated_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending_approval', $10, $11, $11)",
      {p.public_id, p.org_id, p.title, p.description, p.category, p.price_fen, p.donation.kind, p.donation.value,
       p.stock, created_by, p.created_at_ms});
}

std::optional<Product> FindProduct(db::Tx& tx, int64_t id) {
  return OneProduct(tx.Query(std::string("SELECT ") + std::string(kProductColumns) + " WHERE p.id = $1", {id}));
}

std::optional<Product> FindProductByPublicId(db::Tx& tx, const std::string& public_id) {
  return OneProduct(
      tx.Query(std::string("SELECT ") + std::string(kProductColumns) + " WHERE p.public_id = $1", {public_id}));
}

bool UpdateProduct(db::Tx& tx, const Product& p, int64_t now_ms) {
  return tx.Exec(
             "UPDATE shop_products SET title = $2, description = $3, category = $4, price_fen = $5, "
             "donation_kind = $6, donation_value = $7, status = 'pending_approval', review_note = NULL, "
             "reviewed_by = NULL, reviewed_at_ms = NULL, updated_at_ms = $8 "
             "WHERE id = $1 AND status <> 'withdrawn'",
             {p.id, p.title, p.description, p.category, p.price_fen, p.donation.kind, p.donation.value, now_ms}) == 1;
}

std::optional<int64_t> Restock(db::Tx& tx, int64_t id, int64_t quantity, int64_t now_ms) {
  const auto rows = tx.Query(
      "UPDATE shop_products SET stock = stock + $2, updated_at_ms = $3 WHERE id = $1 AND status <> 'withdrawn' "
      "RETURNING stock",
      {id, quantity, now_ms});
  return rows.empty() ? std::nullopt : std::optional<int64_t>(rows.front().Int(0));
}

bool Withdraw(db::Tx& tx, int64_t id, int64_t now_ms) {
  return tx.Exec("UPDATE shop_products SET status = 'withdrawn', updated_at_ms = $2 WHERE id = $1 AND status <> "
                 "'withdrawn'",
                 {id, now_ms}) == 1;
}

bool Review(db::Tx& tx, int64_t id, const std::string& status, const std::optional<std::string>& note,
            int64_t reviewer, int64_t now_ms) {
  return tx.Exec("UPDATE shop_products SET status = $2, review_note = $3, reviewed_by = $4, reviewed_at_ms = $5, "
                 "updated_at_ms = $5 WHERE id = $1 AND status = 'pending_approval'",
                 {id, status, note, reviewer, now_ms}) == 1;
}

Result<std::vector<Product>> ListProducts(db::Tx& tx, const ProductFilter& f) {
  // Absent filters are NULL and match everything (the CASTs give PostgreSQL
  // the parameters' types, which IS NULL alone does not).
  std::vector<db::Value> params{Cursor(f.before), f.category,      f.org_id, f.min_price_fen,
                                f.max_price_fen,   f.limit, f.status};
  std::string join;
  std::string search;
  if (!f.q.empty()) {
    // Newest first like every page, so the id cursor stays a true boundary.
    auto s = media::BuildSearchFilter(tx.dialect(), kProductSearch, "p", f.q, static_cast<int>(params.size()) + 1);
    CC_TRY(s);
    join = " " + s->join;
    search = " AND " + s->where;
    params.insert(params.end(), s->params.begin(), s->params.end());
  }
  return Products(tx.Query(
      std::string("SELECT ") + std::string(kProductColumns) + join +
          " WHERE p.status = $7 AND " + std::string(kProductCursor) +
          " AND (CAST($2 AS TEXT) IS NULL OR p.category = $2) AND (CAST($3 AS BIGINT) IS NULL OR p.org_id = $3)"
          " AND (CAST($4 AS BIGINT) IS NULL OR p.price_fen >= $4) AND (CAST($5 AS BIGINT) IS NULL OR p.price_fen <= $5)" +
          search + " ORDER BY p.id DESC LIMIT $6",
      params));
}

void SetPhotos(db::Tx& tx, int64_t id, const std::vector<media::Image>& photos) {
  tx.Exec("UPDATE shop_products SET photos = $2 WHERE id = $1", {id, media::EncodePhotos(photos)});
}

std::vector<Product> ListOfOrg(db::Tx& tx, int64_t org_id, const std::string& before, int limit) {
  return Products(tx.Query(std::string("SELECT ") + std::string(kProductColumns) + " WHERE " +
                               std::string(kProductCursor) + " AND p.org_id = $2 ORDER BY p.id DESC LIMIT $3",
                           {Cursor(before), org_id, limit}));
}

std::optional<Product> TakeStock(db::Tx& tx, int64_t product_id, int64_t quantity) {
  const auto rows = tx.Query(
      "UPDATE shop_products SET stock = stock - $2 WHERE id = $1 AND status = 'approved' AND stock >= $2 "
      "RETURNING id, public_id, org_id, title, price_fen, donation_kind, donation_value, stock",
      {product_id, quantity});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  Product p;
  p.id = r.Int(0);
  p.public_id = r.Text(1);
  p.org_id = r.Int(2);
  p.title = r.Text(3);
  p.price_fen = r.Int(4);
  p.donation = Donation{r.Text(5), r.Int(6)};
  p.stock = r.Int(7);
  p.status = "approved";
  return p;
}

void ReturnStock(db::Tx& tx, int64_t product_id, int64_t quantity) {
  tx.Exec("UPDATE shop_products SET stock = stock + $2 WHERE id = $1", {product_id, quantity});
}

int64_t InsertOrder(db::Tx& tx, const Order& o) {
  return tx.Insert(
      "INSERT INTO shop_orders (public_id, buyer_user_id, buyer_name, status, total_fen, donation_fen, purpose_id, "
      "fulfilment, venue_id, expires_at_ms, created_at_ms, anonymous) "
      "VALUES ($1, $2, $3, 'pending_payment', $4, $5, $6, $7, $8, $9, $10, $11)",
      {o.public_id, o.buyer_user_id, o.buyer_name, o.total_fen, o.donation_fen, o.purpose_id, o.fulfilment,
       o.venue_id, o.expires_at_ms, o.created_at_ms, o.anonymous});
}

void InsertLine(db::Tx& tx, int64_t order_id, const OrderLine& l) {
  tx.Exec("INSERT INTO shop_order_lines (order_id, product_id, org_id, title, quantity, unit_price_fen, "
          "unit_donation_fen) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {order_id, l.product_id, l.org_id, l.title, l.quantity, l.unit_price_fen, l.unit_donation_fen});
}

void SetOrderPayment(db::Tx& tx, int64_t order_id, int64_t payment_id) {
  tx.Exec("UPDATE shop_orders SET payment_id = $2 WHERE id = $1", {order_id, payment_id});
}

void SetDeliveryBox(db::Tx& tx, int64_t order_id, const std::string& box) {
  tx.Exec("UPDATE shop_orders SET delivery_box = $2 WHERE id = $1", {order_id, box});
}

std::optional<Order> FindOrder(db::Tx& tx, int64_t id) {
  return OneOrder(tx, tx.Query(std::string(kOrderColumns) + "WHERE id = $1", {id}));
}

std::optional<Order> FindOrderByPublicId(db::Tx& tx, const std::string& public_id) {
  return OneOrder(tx, tx.Query(std::string(kOrderColumns) + "WHERE public_id = $1", {public_id}));
}

std::optional<Order> FindOrderByPickupCode(db::Tx& tx, const std::string& code) {
  return OneOrder(tx, tx.Query(std::string(kOrderColumns) + "WHERE pickup_code = $1", {code}));
}

std::vector<Order> ListOrdersOfBuyer(db::Tx& tx, int64_t user_id, const std::string& before, int limit) {
  return Orders(tx, tx.Query(std::string(kOrderColumns) + "WHERE buyer_user_id = $1 AND " +
                                 std::string(kOrderCursor) + " ORDER BY id DESC LIMIT $3",
                             {user_id, Cursor(before), limit}));
}

std::vector<Order> ListOrdersOfOrg(db::Tx& tx, int64_t org_id, const std::string& before, int limit) {
  return Orders(tx, tx.Query(std::string(kOrderColumns) +
                                 "WHERE id IN (SELECT order_id FROM shop_order_lines WHERE org_id = $1) AND " +
                                 std::string(kOrderCursor) + " ORDER BY id DESC LIMIT $3",
                             {org_id, Cursor(before), limit}));
}

std::vector<std::pair<int64_t, int64_t>> DueOrders(db::Tx& tx, int64_t now_ms, int limit) {
  const auto rows = tx.Query(
      "SELECT id, payment_id FROM shop_orders WHERE status = 'pending_payment' AND expires_at_ms <= $1 "
      "ORDER BY expires_at_ms, id LIMIT $2",
      {now_ms, limit});
  std::vector<std::pair<int64_t, int64_t>> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.emplace_back(rows[i].Int(0), rows[i].Int(1));
  }
  return out;
}

bool CloseOrder(db::Tx& tx, int64_t id, const std::string& status, int64_t now_ms) {
  return tx.Exec("UPDATE shop_orders SET status = $2, closed_at_ms = $3 WHERE id = $1 AND status = 'pending_payment'",
                 {id, status, now_ms}) == 1;
}

bool MarkOrderPaid(db::Tx& tx, int64_t id, const std::optional<std::string>& pickup_code, int64_t now_ms) {
  return tx.Exec("UPDATE shop_orders SET status = CASE WHEN fulfilment = 'pickup' THEN 'ready_for_pickup' ELSE "
                 "'paid' END, pickup_code = $2, paid_at_ms = $3 WHERE id = $1 AND status = 'pending_payment'",
                 {id, pickup_code, now_ms}) == 1;
}

void SetReceipt(db::Tx& tx, int64_t id, const std::optional<std::string>& receipt_no) {
  tx.Exec("UPDATE shop_orders SET receipt_no = $2 WHERE id = $1", {id, receipt_no});
}

bool MarkShipped(db::Tx& tx, int64_t id, const std::string& carrier, const std::string& tracking_no, int64_t now_ms) {
  return tx.Exec("UPDATE shop_orders SET status = 'shipped', carrier = $2, tracking_no = $3, shipped_at_ms = $4 "
                 "WHERE id = $1 AND status = 'paid' AND fulfilment = 'delivery'",
                 {id, carrier, tracking_no, now_ms}) == 1;
}

bool MarkDelivered(db::Tx& tx, int64_t id, int64_t now_ms) {
  return tx.Exec("UPDATE shop_orders SET status = 'completed', completed_at_ms = $2 WHERE id = $1 AND status = "
                 "'shipped'",
                 {id, now_ms}) == 1;
}

bool MarkPickedUp(db::Tx& tx, int64_t id, int64_t now_ms) {
  return tx.Exec("UPDATE shop_orders SET status = 'completed', completed_at_ms = $2 WHERE id = $1 AND status = "
                 "'ready_for_pickup'",
                 {id, now_ms}) == 1;
}

int64_t UnpaidOrdersOf(db::Tx& tx, int64_t buyer_user_id, int64_t now_ms) {
  return tx.Query("SELECT COUNT(*) FROM shop_orders WHERE buyer_user_id = $1 AND status = 'pending_payment' "
                  "AND expires_at_ms > $2",
                  {buyer_user_id, now_ms})
      .front()
      .Int(0);
}

bool RefundLine(db::Tx& tx, int64_t order_id, int64_t product_id, int64_t quantity) {
  return tx.Exec(
             "UPDATE shop_order_lines SET refunded_quantity = refunded_quantity + $3 "
             "WHERE order_id = $1 AND product_id = $2 AND refunded_quantity + $3 <= quantity",
             {order_id, product_id, quantity}) == 1;
}

bool MarkRefunded(db::Tx& tx, int64_t id, const std::string& reason, int64_t now_ms) {
  return tx.Exec(std::string("UPDATE shop_orders SET status = 'refunded', closed_at_ms = $2, close_reason = $3 "
                             "WHERE id = $1 AND status IN ") +
                     kPaidStatuses,
                 {id, now_ms, reason}) == 1;
}

}  // namespace carecity::shop::repo
