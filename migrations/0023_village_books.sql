-- 村集体账: each rural village's own collective book, double-entry like the
-- Care Fund's and hash-chained like it, but a separate set of accounts per
-- village that never touches fund_* (docs/design-market.md, "The village
-- collective book"). Only a village with a collective economic organisation
-- (villages.collective_economy = 1) has a book: the book row is created by
-- an INSERT … SELECT that reads that flag in the same statement, and every
-- account, entry and line hangs off a book row by foreign key.
--
-- The chart every book gets (codes are per book):
--   bank           集体银行存款           asset       debit +
--   funding        集体资金拨入           net_assets  credit -
--   expense:service 服务采购支出          expense     debit +
--   payable:org:N  应付服务款·<机构>      liability   credit - (one per organisation paid)

-- One row per village book: its hash chain's head, and the row every write
-- to that book locks first (the per-village lock).
CREATE TABLE villagebook_books (
  id {{id}},
  village_id BIGINT NOT NULL UNIQUE REFERENCES villages (id),
  seq BIGINT NOT NULL DEFAULT 0 CHECK (seq >= 0),
  last_hash TEXT NOT NULL DEFAULT '',
  created_at_ms BIGINT NOT NULL
);

CREATE TABLE villagebook_accounts (
  id {{id}},
  book_id BIGINT NOT NULL REFERENCES villagebook_books (id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('asset', 'liability', 'net_assets', 'expense')),
  org_id BIGINT REFERENCES orgs (id),
  balance_fen BIGINT NOT NULL DEFAULT 0,       -- sum of its lines: debits +, credits -
  created_at_ms BIGINT NOT NULL,
  UNIQUE (book_id, code),
  UNIQUE (book_id, id),                        -- the target of the lines' same-book key
  CHECK ((code LIKE 'payable:org:%') = (org_id IS NOT NULL)),
  -- The collective's bank account never goes below zero (the service checks
  -- it under the book's lock first; this is the last guard).
  CHECK (code <> 'bank' OR balance_fen >= 0)
);

-- Never updated or deleted; a mistake is corrected by a reversing entry.
-- `seq` numbers the entries of one book 1, 2, 3 …: the book's chain.
CREATE TABLE villagebook_entries (
  id {{id}},
  book_id BIGINT NOT NULL REFERENCES villagebook_books (id),
  seq BIGINT NOT NULL CHECK (seq > 0),
  kind TEXT NOT NULL CHECK (kind IN ('funding', 'service_accrual', 'service_payment', 'reversal')),
  voucher_no TEXT NOT NULL CHECK (length(voucher_no) > 0),   -- 凭证号, public
  org_id BIGINT REFERENCES orgs (id),          -- the counterparty organisation, if any
  memo TEXT NOT NULL,
  ref_kind TEXT NOT NULL DEFAULT '',           -- 'contract_payment' …; '' for none
  ref_id BIGINT,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  reverses_entry_id BIGINT REFERENCES villagebook_entries (id),
  created_by BIGINT,
  created_at_ms BIGINT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (book_id, seq),
  UNIQUE (book_id, id),
  CHECK ((kind = 'reversal') = (reverses_entry_id IS NOT NULL))
);
-- A voucher number names one entry of each kind in its book (a contract
-- payment's accrual and payment share theirs); reversals carry their own.
CREATE UNIQUE INDEX villagebook_entries_voucher ON villagebook_entries (book_id, voucher_no, kind)
  WHERE kind <> 'reversal';
CREATE UNIQUE INDEX villagebook_entries_one_reversal ON villagebook_entries (reverses_entry_id);
CREATE INDEX villagebook_entries_ref ON villagebook_entries (ref_kind, ref_id);

-- A line is on an account of its own entry's book: both keys carry book_id.
CREATE TABLE villagebook_lines (
  id {{id}},
  book_id BIGINT NOT NULL,
  entry_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen <> 0),
  FOREIGN KEY (book_id, entry_id) REFERENCES villagebook_entries (book_id, id),
  FOREIGN KEY (book_id, account_id) REFERENCES villagebook_accounts (book_id, id)
);
CREATE INDEX villagebook_lines_entry ON villagebook_lines (entry_id);
CREATE INDEX villagebook_lines_account ON villagebook_lines (account_id);
