-- 公益商城: products listed by organisations and sold under the Care
-- Fund's name once a fund admin approves them; orders that reserve stock
-- when they are created and release it exactly once (expiry, cancellation,
-- refund). The CHECKs are the last guard under the conditional UPDATEs in
-- domains/shop/repo.cc: stock never below zero, amounts that add up.

CREATE TABLE shop_products (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',   -- Markdown
  category TEXT NOT NULL CHECK (category IN ('handmade', 'souvenir', 'books', 'other')),
  price_fen BIGINT NOT NULL CHECK (price_fen > 0),
  donation_kind TEXT NOT NULL CHECK (donation_kind IN ('fixed', 'percent', 'all')),
  donation_value BIGINT NOT NULL DEFAULT 0,
  stock BIGINT NOT NULL CHECK (stock >= 0),
  status TEXT NOT NULL DEFAULT 'pending_approval'
    CHECK (status IN ('pending_approval', 'approved', 'rejected', 'withdrawn')),
  review_note TEXT,
  reviewed_by BIGINT REFERENCES users (id),
  reviewed_at_ms BIGINT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  CHECK ((donation_kind = 'fixed' AND donation_value BETWEEN 0 AND price_fen)
         OR (donation_kind = 'percent' AND donation_value BETWEEN 1 AND 100)
         OR (donation_kind = 'all'))
);
CREATE INDEX shop_products_listing ON shop_products (status, id);
CREATE INDEX shop_products_by_org ON shop_products (org_id, id);

CREATE TABLE shop_orders (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  buyer_user_id BIGINT REFERENCES users (id),
  buyer_name TEXT NOT NULL,
  anonymous SMALLINT NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),  -- 匿名 on the receipt's public views
  status TEXT NOT NULL DEFAULT 'pending_payment'
    CHECK (status IN ('pending_payment', 'paid', 'ready_for_pickup', 'shipped', 'completed', 'cancelled',
                      'expired', 'refunded')),
  total_fen BIGINT NOT NULL CHECK (total_fen > 0),
  donation_fen BIGINT NOT NULL CHECK (donation_fen >= 0 AND donation_fen <= total_fen),
  purpose_id BIGINT,                       -- the fund receiving the donation part (NULL: general fund)
  fulfilment TEXT NOT NULL CHECK (fulfilment IN ('pickup', 'delivery')),
  venue_id BIGINT REFERENCES venues (id),  -- pickup
  delivery_box TEXT,                       -- delivery: name, phone, address sealed (SealBound) to this row
  pickup_code TEXT UNIQUE,                 -- issued when a pickup order is paid
  carrier TEXT,
  tracking_no TEXT,
  payment_id BIGINT,
  receipt_no TEXT,                         -- the 捐赠票据 of the donation part
  expires_at_ms BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  paid_at_ms BIGINT,
  shipped_at_ms BIGINT,
  completed_at_ms BIGINT,
  closed_at_ms BIGINT,                     -- cancelled, expired or refunded
  close_reason TEXT,
  CHECK ((fulfilment = 'pickup' AND venue_id IS NOT NULL) OR fulfilment = 'delivery')
);
CREATE INDEX shop_orders_by_buyer ON shop_orders (buyer_user_id, id);
CREATE INDEX shop_orders_due ON shop_orders (status, expires_at_ms);

CREATE TABLE shop_order_lines (
  id {{id}},
  order_id BIGINT NOT NULL REFERENCES shop_orders (id),
  product_id BIGINT NOT NULL REFERENCES shop_products (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  title TEXT NOT NULL,
  quantity BIGINT NOT NULL CHECK (quantity > 0),
  unit_price_fen BIGINT NOT NULL CHECK (unit_price_fen > 0),
  unit_donation_fen BIGINT NOT NULL CHECK (unit_donation_fen >= 0 AND unit_donation_fen <= unit_price_fen),
  UNIQUE (order_id, product_id)
);
CREATE INDEX shop_order_lines_by_org ON shop_order_lines (org_id, order_id);
