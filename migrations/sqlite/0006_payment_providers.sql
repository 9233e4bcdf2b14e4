-- Refunds at the sandbox provider are idempotent on the merchant's
-- out_refund_no, as at WeChat Pay / Alipay: the provider keeps the number.
ALTER TABLE sandbox_orders ADD COLUMN refund_no TEXT;
ALTER TABLE sandbox_orders ADD COLUMN refunded_at_ms BIGINT;

-- Reconciliation asks the provider about payments still open; most payments
-- are paid within a minute, so this index stays small.
CREATE INDEX payments_open ON payments (id) WHERE status = 'created';
