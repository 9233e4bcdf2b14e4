-- Hardening (issue 9): the maintenance job prunes rate-limit windows older
-- than a day, oldest first and in bounded batches, through this index
-- instead of scanning every bucket.
CREATE INDEX rate_limits_window ON rate_limits (window_start_ms);

-- When the session's owner last proved the password (the login, or a
-- re-entry through POST /api/v1/auth/reauth): role changes and payout
-- approvals need it recent (AccountsService::RequireRecentAuth).
ALTER TABLE auth_sessions ADD COLUMN authenticated_at_ms BIGINT NOT NULL DEFAULT 0;
UPDATE auth_sessions SET authenticated_at_ms = created_at_ms;
