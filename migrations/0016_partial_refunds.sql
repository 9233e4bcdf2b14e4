-- Refunds of part of a payment (公益商城 refunds a line, or part of one).
--
-- A payment may be refunded several times, never beyond its amount, and
-- only one request at a time: the unique index below makes a second request
-- wait for the first's transaction and then fail, so what is left to refund
-- is read only while nothing else is under way. `refunded_fen` counts the
-- refunds booked; the payment becomes `refunded` when it reaches the amount.
ALTER TABLE payments ADD COLUMN refunded_fen BIGINT NOT NULL DEFAULT 0;
UPDATE payments SET refunded_fen = amount_fen WHERE status = 'refunded';

-- What the refund is for, in the owning domain's words (the shop's lines),
-- read again by its handlers when the refund is booked, possibly by
-- reconciliation after a restart.
ALTER TABLE payment_refunds ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX payment_refunds_one_under_way ON payment_refunds (payment_id) WHERE status = 'requested';

-- The sandbox provider keeps each refund under its number, as WeChat Pay
-- does; an order is REFUND once all of it went back.
ALTER TABLE sandbox_orders ADD COLUMN refunded_fen BIGINT NOT NULL DEFAULT 0;
CREATE TABLE sandbox_refunds (
  out_refund_no TEXT PRIMARY KEY,
  out_trade_no TEXT NOT NULL REFERENCES sandbox_orders (out_trade_no),
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  refunded_at_ms BIGINT NOT NULL
);
INSERT INTO sandbox_refunds (out_refund_no, out_trade_no, amount_fen, refunded_at_ms)
  SELECT refund_no, out_trade_no, amount_fen, COALESCE(refunded_at_ms, 0) FROM sandbox_orders
  WHERE status = 'REFUND' AND refund_no IS NOT NULL;
UPDATE sandbox_orders SET refunded_fen = amount_fen WHERE status = 'REFUND';

-- How many of each line went back; the order is `refunded` when all did.
ALTER TABLE shop_order_lines ADD COLUMN refunded_quantity BIGINT NOT NULL DEFAULT 0 CHECK (refunded_quantity >= 0);
UPDATE shop_order_lines SET refunded_quantity = quantity
  WHERE order_id IN (SELECT id FROM shop_orders WHERE status = 'refunded');
