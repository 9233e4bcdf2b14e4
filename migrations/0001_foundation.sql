-- Foundation: accounts, sessions, organisations, villages, roles, rate
-- limits, the notification outbox and the hash-chained audit log.

CREATE TABLE platform_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE users (
  id {{id}},
  display_name TEXT NOT NULL,
  phone TEXT UNIQUE,
  email TEXT UNIQUE,
  password_hash TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  deleted_at_ms BIGINT,
  CHECK (status = 'deleted' OR phone IS NOT NULL OR email IS NOT NULL)
);

CREATE TABLE user_consents (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users (id),
  policy_version TEXT NOT NULL,
  accepted_at_ms BIGINT NOT NULL,
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX user_consents_user ON user_consents (user_id);

CREATE TABLE auth_sessions (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users (id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  last_seen_at_ms BIGINT NOT NULL,
  revoked_at_ms BIGINT,
  user_agent TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE auth_recovery_codes (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users (id),
  code_hash TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  used_at_ms BIGINT,
  attempts BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX auth_recovery_codes_user ON auth_recovery_codes (user_id, created_at_ms);

CREATE TABLE orgs (
  id {{id}},
  name TEXT NOT NULL,
  credit_code TEXT NOT NULL UNIQUE,
  rating TEXT CHECK (rating IS NULL OR rating IN ('3A', '4A', '5A')),
  created_at_ms BIGINT NOT NULL
);

CREATE TABLE villages (
  id {{id}},
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('village', 'community')),
  rural SMALLINT NOT NULL CHECK (rural IN (0, 1)),
  collective_economy SMALLINT NOT NULL CHECK (collective_economy IN (0, 1)),
  created_at_ms BIGINT NOT NULL,
  -- Only rural communities have collective economic organisations.
  CHECK (collective_economy = 0 OR rural = 1)
);

CREATE TABLE venues (
  id {{id}},
  name TEXT NOT NULL UNIQUE,
  address TEXT NOT NULL,
  map_url TEXT NOT NULL DEFAULT '',
  org_id BIGINT REFERENCES orgs (id),
  created_at_ms BIGINT NOT NULL
);

CREATE TABLE user_roles (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users (id),
  role TEXT NOT NULL CHECK (role IN ('resident', 'org_staff', 'village_staff', 'fund_admin',
                                     'reviewer', 'trainer', 'platform_admin')),
  org_id BIGINT REFERENCES orgs (id),
  village_id BIGINT REFERENCES villages (id),
  -- '' for unscoped roles, 'org:ID' or 'village:ID': makes (user, role, scope) unique
  -- even though NULLs never compare equal.
  scope_key TEXT NOT NULL,
  granted_by BIGINT,
  granted_at_ms BIGINT NOT NULL,
  UNIQUE (user_id, role, scope_key),
  CHECK ((role = 'org_staff') = (org_id IS NOT NULL)),
  CHECK ((role = 'village_staff') = (village_id IS NOT NULL))
);
CREATE INDEX user_roles_user ON user_roles (user_id);

CREATE TABLE rate_limits (
  bucket TEXT PRIMARY KEY,
  window_start_ms BIGINT NOT NULL,
  count BIGINT NOT NULL
);

CREATE TABLE notify_outbox (
  id {{id}},
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'site')),
  recipient TEXT NOT NULL,
  user_id BIGINT,
  template TEXT NOT NULL,
  params_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  created_at_ms BIGINT NOT NULL,
  sent_at_ms BIGINT
);
CREATE INDEX notify_outbox_status ON notify_outbox (status, id);

-- Append-only; each row's hash covers its content and the previous hash.
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
  at_ms BIGINT NOT NULL,
  actor_user_id BIGINT,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  ip TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id);

-- One row; updating it serialises appends to the chain on every backend.
CREATE TABLE audit_head (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, last_hash) VALUES (1, 0, '');
