-- Decisions are on grants_applications (decision, awarded_fen, reason) and
-- the call's awarded_fen, both guarded by CHECKs (0017). Here: the public
-- notice of a call's results (公示, one per call) and the objections
-- raised against it during its window, each answered by a fund admin.

CREATE TABLE grants_notices (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  call_id BIGINT NOT NULL UNIQUE REFERENCES grants_calls (id),
  note TEXT NOT NULL DEFAULT '',
  published_by BIGINT NOT NULL REFERENCES users (id),
  published_at_ms BIGINT NOT NULL,
  objections_close_ms BIGINT NOT NULL CHECK (objections_close_ms >= published_at_ms)
);

CREATE TABLE grants_objections (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  notice_id BIGINT NOT NULL REFERENCES grants_notices (id),
  application_id BIGINT NOT NULL REFERENCES grants_applications (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  body TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'dismissed')),
  answer TEXT NOT NULL DEFAULT '',
  answered_by BIGINT REFERENCES users (id),
  answered_at_ms BIGINT,
  CHECK ((status = 'open') = (answered_by IS NULL))
);
CREATE INDEX grants_objections_by_notice ON grants_objections (notice_id, id);
