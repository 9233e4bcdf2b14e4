-- 供需见面会: the public-service supply–demand meeting. Each meeting is an
-- event of the events domain (its date, venue, sign-ups and check-ins live
-- there); this adds who is invited, the booths where organisations present
-- chosen catalogue projects, and each village's shortlist, which turns into
-- quote requests after the meeting (docs/design-market.md "The meeting").

CREATE TABLE market_meetings (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  event_id BIGINT NOT NULL UNIQUE REFERENCES events (id),
  title TEXT NOT NULL,
  seats_per_village BIGINT NOT NULL CHECK (seats_per_village BETWEEN 1 AND 50),
  seats_per_org BIGINT NOT NULL CHECK (seats_per_org BETWEEN 1 AND 50),
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL
);

CREATE TABLE market_meeting_villages (
  meeting_id BIGINT NOT NULL REFERENCES market_meetings (id),
  village_id BIGINT NOT NULL REFERENCES villages (id),
  PRIMARY KEY (meeting_id, village_id)
);

CREATE TABLE market_meeting_orgs (
  meeting_id BIGINT NOT NULL REFERENCES market_meetings (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  PRIMARY KEY (meeting_id, org_id)
);

-- A project presented at the meeting, with its time slot; once per meeting.
CREATE TABLE market_meeting_booths (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  meeting_id BIGINT NOT NULL REFERENCES market_meetings (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  project_id BIGINT NOT NULL REFERENCES market_projects (id),
  starts_at_ms BIGINT NOT NULL,
  ends_at_ms BIGINT NOT NULL CHECK (ends_at_ms > starts_at_ms),
  table_no TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  UNIQUE (meeting_id, project_id)
);
CREATE INDEX market_meeting_booths_by_meeting ON market_meeting_booths (meeting_id, starts_at_ms);

-- A village's shortlist at the meeting; request_id once it became a quote request.
CREATE TABLE market_meeting_shortlists (
  meeting_id BIGINT NOT NULL REFERENCES market_meetings (id),
  village_id BIGINT NOT NULL REFERENCES villages (id),
  project_id BIGINT NOT NULL REFERENCES market_projects (id),
  request_id BIGINT REFERENCES market_quote_requests (id),
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (meeting_id, village_id, project_id)
);
CREATE INDEX market_meeting_shortlists_by_project ON market_meeting_shortlists (meeting_id, project_id);
