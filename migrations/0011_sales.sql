-- Sales paid into the Care Fund (公益商城 orders, 公益拍卖 lots): one row per
-- sale, written with its ledger entries in the payment's confirming
-- transaction. The gift part is credited to a fund and gets a 捐赠票据 (a
-- fund_donations row with sale_id); the goods part is owed to the selling
-- organisations (payable:goods:org:N). A refund reverses the sale's entries
-- and books what remains again, so every entry is reversed at most once.
CREATE TABLE fund_sales (
  id {{id}},
  ref_type TEXT NOT NULL CHECK (ref_type IN ('shop_order', 'auction_lot')),
  ref_id BIGINT NOT NULL,
  payment_id BIGINT NOT NULL REFERENCES payments (id),
  purpose_id BIGINT REFERENCES fund_purposes (id),
  buyer_user_id BIGINT REFERENCES users (id),
  buyer_name TEXT NOT NULL,
  anonymous SMALLINT NOT NULL CHECK (anonymous IN (0, 1)),
  memo TEXT NOT NULL,
  fee_fen BIGINT NOT NULL CHECK (fee_fen >= 0),
  goods_value_fen BIGINT NOT NULL CHECK (goods_value_fen >= 0),
  -- What the sale holds now (after refunds): never below zero, the gift
  -- never above the fund part.
  fund_fen BIGINT NOT NULL CHECK (fund_fen >= 0),
  receipt_fen BIGINT NOT NULL CHECK (receipt_fen >= 0 AND receipt_fen <= fund_fen),
  goods_fen BIGINT NOT NULL CHECK (goods_fen >= 0),
  gift_entry_id BIGINT REFERENCES fund_entries (id),
  goods_entry_id BIGINT REFERENCES fund_entries (id),
  -- A refund asked of the provider and not yet booked: its fund part is
  -- held (not grantable) until then.
  refund_hold_fen BIGINT NOT NULL DEFAULT 0 CHECK (refund_hold_fen >= 0 AND refund_hold_fen <= fund_fen),
  refund_requested_at_ms BIGINT,
  created_at_ms BIGINT NOT NULL,
  UNIQUE (ref_type, ref_id)
);
CREATE INDEX fund_sales_held ON fund_sales (purpose_id) WHERE refund_hold_fen > 0;

-- What each selling organisation is owed by one sale, after refunds.
CREATE TABLE fund_sale_payables (
  sale_id BIGINT NOT NULL REFERENCES fund_sales (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
  PRIMARY KEY (sale_id, org_id)
);

-- A receipt for a sale's gift part; the goods or market value beside it.
ALTER TABLE fund_donations ADD COLUMN sale_id BIGINT REFERENCES fund_sales (id);
ALTER TABLE fund_donations ADD COLUMN goods_value_fen BIGINT NOT NULL DEFAULT 0;
CREATE INDEX fund_donations_sale ON fund_donations (sale_id) WHERE sale_id IS NOT NULL;
