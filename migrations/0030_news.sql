-- 公益宣传 (issue 14): articles by the subdistrict and by organisations,
-- their review, revisions and corrections, and what they are about
-- (docs/design-news.md).

-- The `editor` role: writes and publishes for the subdistrict, and reviews
-- organisations' articles. A CHECK cannot be altered in place on SQLite, so
-- the table is rebuilt there (nothing references it); PostgreSQL swaps the
-- constraint.
-- @sqlite
CREATE TABLE user_roles_new (
  id INTEGER PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  role TEXT NOT NULL CHECK (role IN ('resident', 'org_staff', 'village_staff', 'fund_admin',
                                     'reviewer', 'trainer', 'editor', 'platform_admin')),
  org_id BIGINT REFERENCES orgs (id),
  village_id BIGINT REFERENCES villages (id),
  scope_key TEXT NOT NULL,
  granted_by BIGINT,
  granted_at_ms BIGINT NOT NULL,
  UNIQUE (user_id, role, scope_key),
  CHECK ((role = 'org_staff') = (org_id IS NOT NULL)),
  CHECK ((role = 'village_staff') = (village_id IS NOT NULL))
);
INSERT INTO user_roles_new (id, user_id, role, org_id, village_id, scope_key, granted_by, granted_at_ms)
  SELECT id, user_id, role, org_id, village_id, scope_key, granted_by, granted_at_ms FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;
CREATE INDEX user_roles_user ON user_roles (user_id);
-- @end
-- @postgres
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check CHECK (role IN ('resident', 'org_staff',
  'village_staff', 'fund_admin', 'reviewer', 'trainer', 'editor', 'platform_admin'));
-- @end

-- An article. Readers see it when status is published, or scheduled with
-- publish_at_ms passed: publishing on time needs no job. `revision` counts
-- saves since it was first published; the earlier texts are in
-- news_revisions.
CREATE TABLE news_articles (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  author_id BIGINT NOT NULL REFERENCES users (id),
  org_id BIGINT REFERENCES orgs (id),
  category TEXT NOT NULL CHECK (category IN ('notice', 'event_review', 'story', 'policy', 'fund')),
  title TEXT NOT NULL CHECK (length(title) >= 1),
  summary TEXT NOT NULL DEFAULT '',
  body_md TEXT NOT NULL,
  body_html TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  cover_image_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('draft', 'pending_review', 'scheduled', 'published', 'withdrawn')),
  publish_at_ms BIGINT,
  published_at_ms BIGINT,
  revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0),
  correction_note TEXT,
  review_note TEXT,
  reviewed_by BIGINT REFERENCES users (id),
  views BIGINT NOT NULL DEFAULT 0 CHECK (views >= 0),
  notified_at_ms BIGINT,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  CHECK (status NOT IN ('scheduled', 'published') OR publish_at_ms IS NOT NULL)
);
CREATE INDEX news_articles_feed ON news_articles (status, publish_at_ms);
CREATE INDEX news_articles_category ON news_articles (category, status, publish_at_ms);
CREATE INDEX news_articles_org ON news_articles (org_id, id);

-- The text an article had before each save after publication.
CREATE TABLE news_revisions (
  article_id BIGINT NOT NULL REFERENCES news_articles (id),
  revision INTEGER NOT NULL CHECK (revision >= 0),
  title TEXT NOT NULL,
  body_md TEXT NOT NULL,
  edited_by BIGINT NOT NULL REFERENCES users (id),
  edited_at_ms BIGINT NOT NULL,
  -- The save that replaced this text was a correction (更正), with its note.
  is_correction INTEGER NOT NULL DEFAULT 0 CHECK (is_correction IN (0, 1)),
  note TEXT,
  PRIMARY KEY (article_id, revision)
);

-- What an article is about, each shown as a card (validated when written
-- by asking the owning section whether the item exists and is public).
CREATE TABLE news_related (
  article_id BIGINT NOT NULL REFERENCES news_articles (id),
  position INTEGER NOT NULL CHECK (position >= 0),
  kind TEXT NOT NULL CHECK (kind IN ('event', 'service', 'fund_purpose', 'fund_report', 'product', 'lot',
                                     'grant_call', 'village')),
  ref TEXT NOT NULL,
  PRIMARY KEY (article_id, position)
);

-- Search over title and text (media::SearchIndexDdl({"news_articles", {"title", "body_md"}})).
-- @sqlite
CREATE VIRTUAL TABLE news_articles_fts USING fts5(title, body_md, content='news_articles', content_rowid='id', tokenize='trigram');
CREATE TRIGGER news_articles_fts_insert AFTER INSERT ON news_articles BEGIN
  INSERT INTO news_articles_fts (rowid, title, body_md) VALUES (new.id, new.title, new.body_md);
END;
CREATE TRIGGER news_articles_fts_delete AFTER DELETE ON news_articles BEGIN
  INSERT INTO news_articles_fts (news_articles_fts, rowid, title, body_md) VALUES ('delete', old.id, old.title, old.body_md);
END;
CREATE TRIGGER news_articles_fts_update AFTER UPDATE OF title, body_md ON news_articles BEGIN
  INSERT INTO news_articles_fts (news_articles_fts, rowid, title, body_md) VALUES ('delete', old.id, old.title, old.body_md);
  INSERT INTO news_articles_fts (rowid, title, body_md) VALUES (new.id, new.title, new.body_md);
END;
-- @end
-- @postgres
CREATE INDEX news_articles_search ON news_articles USING gin ((coalesce(title, '') || ' ' || coalesce(body_md, '')) gin_trgm_ops);
-- @end
