-- Signed checkpoints of the hash chains (the audit log, the fund's ledger):
-- a chain's head after `seq` entries, signed with an Ed25519 key kept outside
-- this database (src/domains/audit/chain.h). Published at
-- /api/v1/transparency/checkpoints and appended to a log file as well, so
-- deleting rows here does not hide a rewrite. One per chain and sequence
-- number: servers sharing a database never sign two heads for one seq.
CREATE TABLE chain_checkpoints (
  chain TEXT NOT NULL,             -- 'audit', 'fund'
  seq BIGINT NOT NULL CHECK (seq > 0),
  head_hash TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  public_key TEXT NOT NULL,
  signature TEXT NOT NULL,
  PRIMARY KEY (chain, seq)
);
