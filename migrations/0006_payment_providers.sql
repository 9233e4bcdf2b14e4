-- Refunds at the sandbox provider are idempotent on the merchant's
-- out_refund_no, as at WeChat Pay / Alipay: the provider keeps the number.
ALTER TABLE sandbox_orders ADD COLUMN refund_no TEXT;
ALTER TABLE sandbox_orders ADD COLUMN refunded_at_ms BIGINT;
-- time_expire: an order unpaid by then can no longer be paid.
ALTER TABLE sandbox_orders ADD COLUMN expires_at_ms BIGINT;

-- Who asked for a refund: the request is written before the provider is
-- called, so reconciliation can finish it (and book it in that person's
-- name) if the server stops in between.
ALTER TABLE payment_refunds ADD COLUMN requested_by BIGINT;

-- Reconciliation asks the provider about payments still open. Orders left
-- unpaid expire after two hours and are closed, so this index stays small.
CREATE INDEX payments_open ON payments (id) WHERE status = 'created';
CREATE INDEX payment_refunds_requested ON payment_refunds (id) WHERE status = 'requested';
