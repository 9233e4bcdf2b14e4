-- The outbox delivers (issue 16, docs/design-channels.md 5): a dispatcher
-- claims due messages of a configured channel (claimed_until_ms, attempts
-- counting claims), hands each to its provider, and records what became of
-- it: sent (provider_ref), queued again for a later attempt
-- (next_attempt_at_ms, last_error), or failed (last_error). A server that
-- dies mid-send leaves its claim to expire; the message is then claimed
-- again (a duplicate text is possible, a lost one is not).
ALTER TABLE notify_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notify_outbox ADD COLUMN next_attempt_at_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notify_outbox ADD COLUMN claimed_until_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notify_outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE notify_outbox ADD COLUMN provider_ref TEXT NOT NULL DEFAULT '';
CREATE INDEX notify_outbox_due ON notify_outbox (channel, status, next_attempt_at_ms);
