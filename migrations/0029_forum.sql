-- 社区论坛 (issue 14): boards, threads and their floors, likes, reports,
-- sanctions, credits, and what a member's trust is measured by
-- (docs/design-forum.md).

-- When the account's phone number was proved to be its holder's (an SMS
-- code, or the demo's seeding). The forum's real-identity rule reads it.
ALTER TABLE users ADD COLUMN phone_verified_at_ms BIGINT;

CREATE TABLE forum_boards (
  id {{id}},
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 60),
  description TEXT NOT NULL DEFAULT '',
  -- An organisation's own board, where residents ask it questions.
  org_id BIGINT UNIQUE REFERENCES orgs (id),
  position INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'archived')),
  threads BIGINT NOT NULL DEFAULT 0 CHECK (threads >= 0),
  created_at_ms BIGINT NOT NULL
);

-- 版主: who moderates which board (platform admins moderate every board).
CREATE TABLE forum_moderators (
  board_id BIGINT NOT NULL REFERENCES forum_boards (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (board_id, user_id)
);
CREATE INDEX forum_moderators_user ON forum_moderators (user_id);

-- A thread's floors are numbered by `last_floor`: a reply claims the next
-- one with UPDATE … SET last_floor = last_floor + 1 … RETURNING, which the
-- row lock serialises, so floors are unique (the posts' UNIQUE backs it)
-- and gap-free. Floor 1 is the opening post.
CREATE TABLE forum_threads (
  id {{id}},
  board_id BIGINT NOT NULL REFERENCES forum_boards (id),
  author_id BIGINT NOT NULL REFERENCES users (id),
  title TEXT NOT NULL CHECK (length(title) >= 1),
  kind TEXT NOT NULL DEFAULT 'discussion' CHECK (kind IN ('discussion', 'question')),
  -- held: waits for a moderator (a word-list hit); hidden: by a moderator;
  -- deleted: by its author or a moderator, with a reason.
  status TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'held', 'hidden', 'deleted')),
  status_reason TEXT,
  sticky INTEGER NOT NULL DEFAULT 0 CHECK (sticky IN (0, 1)),
  digest INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1)),
  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  last_floor INTEGER NOT NULL DEFAULT 1 CHECK (last_floor >= 1),
  replies BIGINT NOT NULL DEFAULT 0 CHECK (replies >= 0),
  views BIGINT NOT NULL DEFAULT 0 CHECK (views >= 0),
  solved_post_id BIGINT,
  last_post_at_ms BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX forum_threads_board ON forum_threads (board_id, status, sticky, last_post_at_ms);
CREATE INDEX forum_threads_author ON forum_threads (author_id, id);

CREATE TABLE forum_posts (
  id {{id}},
  thread_id BIGINT NOT NULL REFERENCES forum_threads (id),
  floor INTEGER NOT NULL CHECK (floor >= 1),
  author_id BIGINT NOT NULL REFERENCES users (id),
  -- Written by staff in their organisation's capacity: the 认证机构 badge.
  as_org_id BIGINT REFERENCES orgs (id),
  body_md TEXT NOT NULL,
  body_html TEXT NOT NULL,
  quote_post_id BIGINT REFERENCES forum_posts (id),
  status TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'held', 'hidden', 'deleted')),
  status_reason TEXT,
  likes BIGINT NOT NULL DEFAULT 0 CHECK (likes >= 0),
  created_at_ms BIGINT NOT NULL,
  edited_at_ms BIGINT,
  UNIQUE (thread_id, floor)
);
CREATE INDEX forum_posts_author ON forum_posts (author_id, id);

-- One like per member and post: the primary key decides.
CREATE TABLE forum_likes (
  post_id BIGINT NOT NULL REFERENCES forum_posts (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (post_id, user_id)
);

-- 举报: one open-or-handled report per member and post.
CREATE TABLE forum_reports (
  id {{id}},
  post_id BIGINT NOT NULL REFERENCES forum_posts (id),
  reporter_id BIGINT NOT NULL REFERENCES users (id),
  reason TEXT NOT NULL CHECK (length(reason) >= 1),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'dismissed')),
  handled_by BIGINT REFERENCES users (id),
  handled_at_ms BIGINT,
  outcome TEXT,
  created_at_ms BIGINT NOT NULL,
  UNIQUE (post_id, reporter_id),
  CHECK ((status = 'open') = (handled_at_ms IS NULL))
);
CREATE INDEX forum_reports_status ON forum_reports (status, id);

-- Warnings, mutes (until an end time) and bans (until an end time, or for
-- good when it has none), each with its reason; lifting keeps the row.
CREATE TABLE forum_sanctions (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL CHECK (kind IN ('warn', 'mute', 'ban')),
  reason TEXT NOT NULL CHECK (length(reason) >= 1),
  post_id BIGINT REFERENCES forum_posts (id),
  ends_at_ms BIGINT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  lifted_at_ms BIGINT,
  CHECK (kind <> 'mute' OR ends_at_ms IS NOT NULL),
  CHECK (kind <> 'warn' OR ends_at_ms IS NULL)
);
CREATE INDEX forum_sanctions_user ON forum_sanctions (user_id, kind);

-- A member's standing: credits (积分) and likes received kept as running
-- totals, changed only together with a forum_credits row, under this row's
-- lock; trusted_at_ms once they reached trust level 1 (it is kept).
CREATE TABLE forum_members (
  user_id BIGINT PRIMARY KEY REFERENCES users (id),
  credits BIGINT NOT NULL DEFAULT 0,
  likes_received BIGINT NOT NULL DEFAULT 0 CHECK (likes_received >= 0),
  trusted_at_ms BIGINT
);

CREATE TABLE forum_credits (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users (id),
  delta BIGINT NOT NULL CHECK (delta <> 0),
  reason TEXT NOT NULL CHECK (reason IN ('thread', 'reply', 'reply_received', 'like_received', 'digest',
                                         'report_upheld', 'answer_accepted')),
  ref TEXT NOT NULL DEFAULT '',
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX forum_credits_user ON forum_credits (user_id, created_at_ms);

-- What trust is measured by, written by the periodic flush of the
-- in-memory read counters (never a write per page view): the furthest
-- floor each member has read of each thread, and the days they visited.
CREATE TABLE forum_reads (
  user_id BIGINT NOT NULL REFERENCES users (id),
  thread_id BIGINT NOT NULL REFERENCES forum_threads (id),
  last_floor INTEGER NOT NULL CHECK (last_floor >= 1),
  PRIMARY KEY (user_id, thread_id)
);
CREATE TABLE forum_visits (
  user_id BIGINT NOT NULL REFERENCES users (id),
  day INTEGER NOT NULL,  -- yyyymmdd in the subdistrict's time zone
  PRIMARY KEY (user_id, day)
);

-- 消息: when the person read an in-app message (the unread badge counts
-- the rest).
ALTER TABLE notify_outbox ADD COLUMN read_at_ms BIGINT;

-- Search (media/search.h): thread titles and post texts, Chinese full text.
-- @sqlite
CREATE VIRTUAL TABLE forum_threads_fts USING fts5(title, content='forum_threads', content_rowid='id', tokenize='trigram');
CREATE TRIGGER forum_threads_fts_insert AFTER INSERT ON forum_threads BEGIN
  INSERT INTO forum_threads_fts (rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER forum_threads_fts_delete AFTER DELETE ON forum_threads BEGIN
  INSERT INTO forum_threads_fts (forum_threads_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER forum_threads_fts_update AFTER UPDATE OF title ON forum_threads BEGIN
  INSERT INTO forum_threads_fts (forum_threads_fts, rowid, title) VALUES ('delete', old.id, old.title);
  INSERT INTO forum_threads_fts (rowid, title) VALUES (new.id, new.title);
END;
CREATE VIRTUAL TABLE forum_posts_fts USING fts5(body_md, content='forum_posts', content_rowid='id', tokenize='trigram');
CREATE TRIGGER forum_posts_fts_insert AFTER INSERT ON forum_posts BEGIN
  INSERT INTO forum_posts_fts (rowid, body_md) VALUES (new.id, new.body_md);
END;
CREATE TRIGGER forum_posts_fts_delete AFTER DELETE ON forum_posts BEGIN
  INSERT INTO forum_posts_fts (forum_posts_fts, rowid, body_md) VALUES ('delete', old.id, old.body_md);
END;
CREATE TRIGGER forum_posts_fts_update AFTER UPDATE OF body_md ON forum_posts BEGIN
  INSERT INTO forum_posts_fts (forum_posts_fts, rowid, body_md) VALUES ('delete', old.id, old.body_md);
  INSERT INTO forum_posts_fts (rowid, body_md) VALUES (new.id, new.body_md);
END;
-- @end
-- @postgres
CREATE INDEX forum_threads_search ON forum_threads USING gin ((coalesce(title, '')) gin_trgm_ops);
CREATE INDEX forum_posts_search ON forum_posts USING gin ((coalesce(body_md, '')) gin_trgm_ops);
-- @end
