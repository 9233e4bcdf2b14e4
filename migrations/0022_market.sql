-- 社工服务进村(居): the public-service supply–demand market. Organisations
-- list purchasable service projects (服务项目库, approved by a fund or
-- platform admin before they are public); village staff post their
-- village's needs (需求), optionally citing a residents' needs-survey round.
-- docs/design-market.md. Quotes, contracts and each village's own collective
-- book come in later migrations and reference these tables.

CREATE TABLE market_projects (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  title TEXT NOT NULL,
  project_type TEXT NOT NULL,
  target_group TEXT NOT NULL,
  -- What is delivered: sessions, service hours, beneficiaries (0: not stated).
  sessions BIGINT NOT NULL DEFAULT 0 CHECK (sessions >= 0),
  service_hours BIGINT NOT NULL DEFAULT 0 CHECK (service_hours >= 0),
  beneficiaries BIGINT NOT NULL DEFAULT 0 CHECK (beneficiaries >= 0),
  duration_days BIGINT NOT NULL CHECK (duration_days > 0),
  -- 'fixed': min = max; 'range': a quote on request within [min, max].
  price_kind TEXT NOT NULL CHECK (price_kind IN ('fixed', 'range')),
  price_min_fen BIGINT NOT NULL CHECK (price_min_fen > 0),
  price_max_fen BIGINT NOT NULL,
  description TEXT NOT NULL DEFAULT '',        -- Markdown, rendered sanitised
  indicators TEXT NOT NULL DEFAULT '[]',       -- JSON array of strings
  team TEXT NOT NULL DEFAULT '[]',             -- JSON array of {name, role, level, party_member}
  -- Every edit adds one; a review may name the revision the admin read (no approving unseen text).
  revision BIGINT NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'pending_approval'
    CHECK (status IN ('pending_approval', 'approved', 'rejected', 'withdrawn')),
  review_note TEXT NOT NULL DEFAULT '',
  reviewed_by BIGINT REFERENCES users (id),
  reviewed_at_ms BIGINT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  CHECK (price_max_fen >= price_min_fen),
  CHECK (price_kind = 'range' OR price_max_fen = price_min_fen),
  CHECK ((status IN ('approved', 'rejected')) = (reviewed_at_ms IS NOT NULL))
);
CREATE INDEX market_projects_by_status ON market_projects (status, project_type, id);
CREATE INDEX market_projects_by_org ON market_projects (org_id, id);

-- A survey round: one village asks its residents what they need. One answer
-- per resident account per round (the primary key decides, not a read).
CREATE TABLE market_survey_rounds (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  village_id BIGINT NOT NULL REFERENCES villages (id),
  title TEXT NOT NULL,
  options TEXT NOT NULL,                        -- JSON array of need labels offered
  opens_at_ms BIGINT NOT NULL,
  closes_at_ms BIGINT NOT NULL CHECK (closes_at_ms > opens_at_ms),
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX market_survey_rounds_by_village ON market_survey_rounds (village_id, id);

CREATE TABLE market_survey_answers (
  round_id BIGINT NOT NULL REFERENCES market_survey_rounds (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  picks TEXT NOT NULL DEFAULT '[]',             -- JSON array of the round's options
  other TEXT NOT NULL DEFAULT '',               -- a need written in
  age_band TEXT NOT NULL CHECK (age_band IN ('under18', '18to59', '60to79', '80plus', 'unknown')),
  answered_at_ms BIGINT NOT NULL,
  PRIMARY KEY (round_id, user_id)
);

CREATE TABLE market_needs (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  village_id BIGINT NOT NULL REFERENCES villages (id),
  title TEXT NOT NULL,
  project_type TEXT NOT NULL,
  target_group TEXT NOT NULL,
  beneficiaries BIGINT NOT NULL CHECK (beneficiaries > 0),
  story TEXT NOT NULL DEFAULT '',               -- the residents' need behind it
  budget_min_fen BIGINT NOT NULL CHECK (budget_min_fen >= 0),
  budget_max_fen BIGINT NOT NULL,
  period_from_ms BIGINT NOT NULL,
  period_to_ms BIGINT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('survey', 'visits', 'reception', 'other')),
  survey_round_id BIGINT REFERENCES market_survey_rounds (id),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'met', 'closed')),
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  CHECK (budget_max_fen >= budget_min_fen),
  CHECK (period_to_ms > period_from_ms),
  CHECK (source = 'survey' OR survey_round_id IS NULL)
);
CREATE INDEX market_needs_by_village ON market_needs (village_id, id);
CREATE INDEX market_needs_by_type ON market_needs (status, project_type, id);

-- The catalogue's search (src/media/search.h): title, target group and
-- description, as GET /api/v1/market/projects?q= reads them.
-- @sqlite
CREATE VIRTUAL TABLE market_projects_fts USING fts5(title, target_group, description, content='market_projects', content_rowid='id', tokenize='trigram');
CREATE TRIGGER market_projects_fts_insert AFTER INSERT ON market_projects BEGIN
  INSERT INTO market_projects_fts (rowid, title, target_group, description) VALUES (new.id, new.title, new.target_group, new.description);
END;
CREATE TRIGGER market_projects_fts_delete AFTER DELETE ON market_projects BEGIN
  INSERT INTO market_projects_fts (market_projects_fts, rowid, title, target_group, description) VALUES ('delete', old.id, old.title, old.target_group, old.description);
END;
CREATE TRIGGER market_projects_fts_update AFTER UPDATE OF title, target_group, description ON market_projects BEGIN
  INSERT INTO market_projects_fts (market_projects_fts, rowid, title, target_group, description) VALUES ('delete', old.id, old.title, old.target_group, old.description);
  INSERT INTO market_projects_fts (rowid, title, target_group, description) VALUES (new.id, new.title, new.target_group, new.description);
END;
-- @end
-- @postgres
CREATE INDEX market_projects_search ON market_projects USING gin ((coalesce(title, '') || ' ' || coalesce(target_group, '') || ' ' || coalesce(description, '')) gin_trgm_ops);
-- @end
