-- The Care Fund: purposes, the double-entry ledger (hash-chained), donations
-- and receipts, government allocations, sponsorships, grant commitments and
-- disbursements with maker-checker, disclosures; payments through providers
-- (and the sandbox provider's own side); idempotency keys.

CREATE TABLE fund_purposes (
  id {{id}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  restricted SMALLINT NOT NULL CHECK (restricted IN (0, 1)),
  filing_no TEXT NOT NULL DEFAULT '',          -- 备案号 of the fundraising activity
  starts_at_ms BIGINT NOT NULL,
  ends_at_ms BIGINT,
  active SMALLINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at_ms BIGINT NOT NULL
);

CREATE TABLE fund_accounts (
  id {{id}},
  code TEXT NOT NULL UNIQUE,                   -- bank, clearing:sandbox, fund:general, fund:purpose:3, payable:org:5, expense:fees
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('asset', 'liability', 'net_assets', 'expense')),
  purpose_id BIGINT REFERENCES fund_purposes (id),
  org_id BIGINT REFERENCES orgs (id),
  balance_fen BIGINT NOT NULL DEFAULT 0,       -- sum of its lines: debits +, credits -
  created_at_ms BIGINT NOT NULL
);

-- Never updated or deleted; a mistake is corrected by a reversing entry.
CREATE TABLE fund_entries (
  id BIGINT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('donation', 'allocation', 'sponsorship', 'grant', 'disbursement',
                                     'settlement', 'fee', 'refund', 'reversal', 'shop_sale',
                                     'auction_sale', 'cofunding')),
  source TEXT CHECK (source IS NULL OR source IN ('government', 'sponsor', 'public', 'shop', 'auction',
                                                  'cofunding')),
  purpose_id BIGINT REFERENCES fund_purposes (id),
  org_id BIGINT REFERENCES orgs (id),
  memo TEXT NOT NULL,
  ref_type TEXT NOT NULL DEFAULT '',
  ref_id BIGINT,
  donor_display TEXT,                          -- masked name or 匿名; never a phone number
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  reverses_entry_id BIGINT REFERENCES fund_entries (id),
  created_by BIGINT,
  created_at_ms BIGINT NOT NULL,
  period TEXT NOT NULL,                        -- "2026-11", the month in China time (UTC+8), for reports
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX fund_entries_ref ON fund_entries (ref_type, ref_id);
CREATE INDEX fund_entries_purpose ON fund_entries (purpose_id, kind, id);
CREATE INDEX fund_entries_period ON fund_entries (period, source);
CREATE UNIQUE INDEX fund_entries_one_reversal ON fund_entries (reverses_entry_id);

CREATE TABLE fund_lines (
  id {{id}},
  entry_id BIGINT NOT NULL REFERENCES fund_entries (id),
  account_id BIGINT NOT NULL REFERENCES fund_accounts (id),
  amount_fen BIGINT NOT NULL CHECK (amount_fen <> 0)
);
CREATE INDEX fund_lines_entry ON fund_lines (entry_id);
CREATE INDEX fund_lines_account ON fund_lines (account_id);

CREATE TABLE fund_head (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO fund_head (id, seq, last_hash) VALUES (1, 0, '');

CREATE TABLE payments (
  id {{id}},
  provider TEXT NOT NULL,
  out_trade_no TEXT NOT NULL UNIQUE,
  purpose TEXT NOT NULL,                       -- what it pays for: donation
  ref_id BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  description TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('created', 'paid', 'closed', 'refunded')),
  provider_txn_id TEXT,
  fee_fen BIGINT NOT NULL DEFAULT 0,
  return_url TEXT NOT NULL DEFAULT '',
  created_at_ms BIGINT NOT NULL,
  paid_at_ms BIGINT,
  closed_at_ms BIGINT
);
CREATE INDEX payments_ref ON payments (purpose, ref_id);

CREATE TABLE payment_notifications (
  id {{id}},
  provider TEXT NOT NULL,
  out_trade_no TEXT,
  valid SMALLINT NOT NULL CHECK (valid IN (0, 1)),
  outcome TEXT NOT NULL,                       -- credited | duplicate | rejected:<why>
  body TEXT NOT NULL,
  received_at_ms BIGINT NOT NULL
);

CREATE TABLE payment_refunds (
  id {{id}},
  payment_id BIGINT NOT NULL REFERENCES payments (id),
  out_refund_no TEXT NOT NULL UNIQUE,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('requested', 'succeeded', 'failed')),
  created_at_ms BIGINT NOT NULL
);

-- The sandbox provider's own books, as an outside provider would keep them.
CREATE TABLE sandbox_orders (
  out_trade_no TEXT PRIMARY KEY,
  amount_fen BIGINT NOT NULL,
  description TEXT NOT NULL,
  notify_url TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('NOTPAY', 'SUCCESS', 'CLOSED', 'REFUND')),
  transaction_id TEXT,
  paid_at_ms BIGINT,
  created_at_ms BIGINT NOT NULL
);

CREATE TABLE fund_donations (
  id {{id}},
  user_id BIGINT REFERENCES users (id),
  donor_name TEXT NOT NULL,                    -- shown on the receipt (or 匿名)
  anonymous SMALLINT NOT NULL CHECK (anonymous IN (0, 1)),
  purpose_id BIGINT REFERENCES fund_purposes (id),
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  message TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'closed', 'refunded')),
  payment_id BIGINT REFERENCES payments (id),
  entry_id BIGINT REFERENCES fund_entries (id),
  refund_entry_id BIGINT REFERENCES fund_entries (id),
  receipt_no TEXT UNIQUE,
  receipt_check TEXT,
  created_at_ms BIGINT NOT NULL,
  confirmed_at_ms BIGINT,
  refunded_at_ms BIGINT
);
CREATE INDEX fund_donations_user ON fund_donations (user_id, id);

CREATE TABLE fund_receipt_seq (
  year BIGINT PRIMARY KEY,
  last BIGINT NOT NULL
);

CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  ref_id BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (scope, key)
);

CREATE TABLE fund_allocations (
  id {{id}},
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  budget_ref TEXT NOT NULL,
  purpose_id BIGINT REFERENCES fund_purposes (id),
  memo TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'received')),
  entry_id BIGINT REFERENCES fund_entries (id),
  created_by BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  received_at_ms BIGINT
);

CREATE TABLE fund_sponsorships (
  id {{id}},
  sponsor_name TEXT NOT NULL,
  sponsor_kind TEXT NOT NULL CHECK (sponsor_kind IN ('enterprise', 'foundation')),
  committed_fen BIGINT NOT NULL CHECK (committed_fen > 0),
  purpose_id BIGINT REFERENCES fund_purposes (id),
  naming_text TEXT NOT NULL,                   -- 冠名: "XX集团·关爱长者计划"
  term_start_ms BIGINT NOT NULL,
  term_end_ms BIGINT NOT NULL,
  instalments BIGINT NOT NULL CHECK (instalments > 0),
  created_by BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  CHECK (term_end_ms > term_start_ms)
);

CREATE TABLE fund_sponsorship_instalments (
  id {{id}},
  sponsorship_id BIGINT NOT NULL REFERENCES fund_sponsorships (id),
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  reference TEXT NOT NULL,
  entry_id BIGINT NOT NULL REFERENCES fund_entries (id),
  created_by BIGINT NOT NULL,
  received_at_ms BIGINT NOT NULL
);

CREATE TABLE fund_commitments (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  purpose_id BIGINT REFERENCES fund_purposes (id),
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  disbursed_fen BIGINT NOT NULL DEFAULT 0,
  project_name TEXT NOT NULL,
  entry_id BIGINT REFERENCES fund_entries (id),  -- set in the same transaction
  created_by BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  CHECK (disbursed_fen >= 0 AND disbursed_fen <= amount_fen)
);

CREATE TABLE fund_disbursements (
  id {{id}},
  commitment_id BIGINT NOT NULL REFERENCES fund_commitments (id),
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  memo TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed', 'paid', 'rejected')),
  approvals_needed BIGINT NOT NULL,
  proposed_by BIGINT NOT NULL,
  entry_id BIGINT REFERENCES fund_entries (id),
  created_at_ms BIGINT NOT NULL,
  paid_at_ms BIGINT
);

CREATE TABLE fund_disbursement_approvals (
  disbursement_id BIGINT NOT NULL REFERENCES fund_disbursements (id),
  approved_by BIGINT NOT NULL,
  approved_at_ms BIGINT NOT NULL,
  PRIMARY KEY (disbursement_id, approved_by)
);

CREATE TABLE fund_disclosures (
  id {{id}},
  purpose_id BIGINT NOT NULL REFERENCES fund_purposes (id),
  period_label TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  published_by BIGINT NOT NULL,
  published_at_ms BIGINT NOT NULL
);
