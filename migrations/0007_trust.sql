-- Trust: unguessable public ids and payers for payments and donations,
-- refund holds, forgotten donors, and guards the database itself enforces
-- on the fund's money (see src/db/lock.h for the pattern).

-- Rows reachable from public URLs carry an unguessable id (NewPublicId: 20
-- base32 characters, 100 random bits); the integer key never leaves the
-- server. Rows from before this migration get one here.
ALTER TABLE payments ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
ALTER TABLE fund_donations ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
-- @sqlite
UPDATE payments SET public_id = substr(replace(replace(replace(replace(
  lower(hex(randomblob(16))), '0', 'q'), '1', 'r'), '8', 's'), '9', 't'), 1, 20);
UPDATE fund_donations SET public_id = substr(replace(replace(replace(replace(
  lower(hex(randomblob(16))), '0', 'q'), '1', 'r'), '8', 's'), '9', 't'), 1, 20);
-- @end
-- @postgres
UPDATE payments SET public_id = substr(translate(replace(gen_random_uuid()::text, '-', ''), '0189', 'qrst'), 1, 20);
UPDATE fund_donations SET public_id = substr(translate(replace(gen_random_uuid()::text, '-', ''), '0189', 'qrst'), 1, 20);
-- @end
CREATE UNIQUE INDEX payments_public_id ON payments (public_id);
CREATE UNIQUE INDEX fund_donations_public_id ON fund_donations (public_id);

-- Who pays: a signed-in user (NULL for a guest, who reaches the payment
-- with the access token its pay link carries).
ALTER TABLE payments ADD COLUMN payer_user_id BIGINT REFERENCES users (id);
UPDATE payments SET payer_user_id = (SELECT d.user_id FROM fund_donations d WHERE d.payment_id = payments.id)
  WHERE purpose = 'donation';

-- A refund asked of the provider but not yet booked holds its amount in
-- the donation's fund, so a grant made meanwhile cannot spend it.
ALTER TABLE fund_donations ADD COLUMN refund_requested_at_ms BIGINT;
-- The donor deleted their account: public views show 匿名; the name stays
-- on the receipt record for the fund's administrators (accounting records
-- are kept, see the privacy notice).
ALTER TABLE fund_donations ADD COLUMN donor_forgotten SMALLINT NOT NULL DEFAULT 0 CHECK (donor_forgotten IN (0, 1));

-- A fund (a net-asset account, credit-normal) never goes below zero: the
-- last guard under the locked balance checks in the fund service.
-- @postgres
ALTER TABLE fund_accounts ADD CONSTRAINT fund_accounts_no_overdraw CHECK (type <> 'net_assets' OR balance_fen <= 0);
-- @end
-- @sqlite
CREATE TRIGGER fund_accounts_no_overdraw BEFORE UPDATE OF balance_fen ON fund_accounts
  WHEN NEW.type = 'net_assets' AND NEW.balance_fen > 0
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: fund_accounts_no_overdraw');
END;
-- @end

-- One booking per donation, grant, allocation and disbursement: a second
-- payment of one disbursement fails in the database, whatever the code does.
CREATE UNIQUE INDEX fund_entries_booked_once ON fund_entries (ref_type, ref_id)
  WHERE kind IN ('donation', 'grant', 'allocation', 'disbursement');

-- Retention: idempotency keys and rejected notifications are pruned by age.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at_ms);
CREATE INDEX payment_notifications_rejected ON payment_notifications (received_at_ms) WHERE valid = 0;
