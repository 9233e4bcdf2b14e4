// 公益商城: products sold under the Care Fund's name and the orders that buy
// them. Plain structs and the rules that need no database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "media/model.h"

namespace carecity::shop {

// 手工义卖品 / 公益纪念品 / 书刊 / other.
bool IsCategory(std::string_view code);
// fixed | percent | all.
bool IsDonationKind(std::string_view kind);

struct Donation {
  std::string kind = "all";  // fixed | percent | all
  int64_t value = 0;         // fen for fixed, 1..100 for percent, 0 for all
};

// The donation part of one item of `price_fen`: the fixed amount, the
// percentage rounded down to the fen, or the whole price.
Fen DonationPart(const Donation& d, Fen price_fen);

struct Product {
  int64_t id = 0;            // internal; never leaves the server
  std::string public_id;
  int64_t org_id = 0;
  std::string org_name;
  std::string title;
  std::string description;   // Markdown
  std::vector<media::Image> photos;  // in order (ids and sizes only)
  std::string category;
  Fen price_fen = 0;
  Donation donation;
  int64_t stock = 0;
  std::string status;        // pending_approval | approved | rejected | withdrawn
  std::optional<std::string> review_note;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct ProductFilter {
  std::optional<std::string> category;
  std::optional<int64_t> org_id;
  std::optional<Fen> min_price_fen;
  std::optional<Fen> max_price_fen;
  std::string q;             // full-text: every term in the title or description
  std::string status = "approved";  // or "pending_approval" (fund admins' review list)
  std::string before;        // cursor: the public id of the last product seen ("" = from the newest)
  int limit = 20;
};

struct OrderLine {
  int64_t product_id = 0;
  std::string product_public_id;
  int64_t org_id = 0;
  std::string org_name;
  std::string title;
  int64_t quantity = 0;
  Fen unit_price_fen = 0;
  Fen unit_donation_fen = 0;
  int64_t refunded_quantity = 0;  // how many went back (per-line refunds)

  int64_t left() const { return quantity - refunded_quantity; }
};

// Delivery details: sealed at rest, shown only to the buyer and the seller's staff.
struct Delivery {
  std::string name;
  std::string phone;
  std::string address;
};

struct Order {
  int64_t id = 0;            // internal
  std::string public_id;
  std::optional<int64_t> buyer_user_id;
  std::string buyer_name;
  bool anonymous = false;
  std::string status;        // pending_payment | paid | ready_for_pickup | shipped | completed | cancelled | expired | refunded
  Fen total_fen = 0;
  Fen donation_fen = 0;
  std::optional<int64_t> purpose_id;
  std::string fulfilment;    // pickup | delivery
  std::optional<int64_t> venue_id;
  std::optional<std::string> delivery_box;
  std::optional<std::string> pickup_code;
  std::optional<std::string> carrier;
  std::optional<std::string> tracking_no;
  std::optional<int64_t> payment_id;
  std::optional<std::string> receipt_no;
  int64_t expires_at_ms = 0;
  int64_t created_at_ms = 0;
  std::optional<int64_t> paid_at_ms;
  std::optional<int64_t> shipped_at_ms;
  std::optional<int64_t> completed_at_ms;
  std::optional<int64_t> closed_at_ms;
  std::optional<std::string> close_reason;
  std::vector<OrderLine> lines;

  Fen goods_value_fen() const { return total_fen - donation_fen; }
  Fen refunded_fen() const;
  bool HasOrg(int64_t org_id) const;
};

// A paid order's statuses (it may be refunded from any of them).
constexpr const char* kPaidStatuses = "('paid', 'ready_for_pickup', 'shipped', 'completed')";

}  // namespace carecity::shop
