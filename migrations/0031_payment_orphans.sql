-- Money a payer paid at a provider for an order we had already closed (a
-- stale pay link, a payment racing its expiry): it never entered our books,
-- so it goes back in full. A verified paid notice for a closed payment is
-- kept here and reconciliation refunds it under out_refund_no (the order
-- number + "X"), asking again under the same number until the provider says
-- it went back. Fund admins see the list (issue 16, docs/design-channels.md
-- 4.2 "Orphans").
CREATE TABLE payment_orphans (
  id {{id}},
  payment_id BIGINT NOT NULL REFERENCES payments (id),
  provider TEXT NOT NULL,
  out_trade_no TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  received_at_ms BIGINT NOT NULL,
  out_refund_no TEXT NOT NULL UNIQUE,
  -- owed: to be refunded; refunded: the provider returned it; abnormal: the
  -- provider refused or could not return it (a fund admin settles it).
  status TEXT NOT NULL CHECK (status IN ('owed', 'refunded', 'abnormal')),
  detail TEXT NOT NULL DEFAULT '',
  settled_at_ms BIGINT,
  UNIQUE (provider, out_trade_no)
);
CREATE INDEX payment_orphans_owed ON payment_orphans (status, id);
