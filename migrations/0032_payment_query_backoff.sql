-- Reconciliation backs off (issue 16, docs/design-channels.md 9): a payment
-- still open after a query that found it unpaid is asked about again only
-- from next_query_at_ms on, a quarter of its age later (30 s to 10 min), so
-- a real provider is not asked about every abandoned order every 30 s for
-- two hours. NULL: due now. Expired payments are closed whatever it says.
ALTER TABLE payments ADD COLUMN next_query_at_ms BIGINT;
