-- Funded projects (资助项目): an approved application, once its notice's
-- objection window has closed, becomes a project with a fund commitment
-- (booked by fund::FundService, never written here), milestones paid by
-- disbursements, progress and final reports, citizen observers and their
-- visit notes. A closed project's leftover goes back to the fund.

ALTER TABLE fund_commitments ADD COLUMN released_fen BIGINT NOT NULL DEFAULT 0 CHECK (released_fen >= 0);
ALTER TABLE fund_commitments ADD COLUMN released_at_ms BIGINT;

CREATE TABLE grants_projects (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  application_id BIGINT NOT NULL UNIQUE REFERENCES grants_applications (id),
  call_id BIGINT NOT NULL REFERENCES grants_calls (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  commitment_id BIGINT NOT NULL UNIQUE REFERENCES fund_commitments (id),
  awarded_fen BIGINT NOT NULL CHECK (awarded_fen > 0),
  sponsorship_id BIGINT REFERENCES fund_sponsorships (id),
  sponsor_fen BIGINT NOT NULL DEFAULT 0 CHECK (sponsor_fen >= 0),
  starts_at_ms BIGINT NOT NULL,
  ends_at_ms BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closing', 'closed')),
  released_fen BIGINT NOT NULL DEFAULT 0 CHECK (released_fen >= 0 AND released_fen <= awarded_fen),
  leftover_note TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  closed_by BIGINT REFERENCES users (id),
  closed_at_ms BIGINT,
  CHECK (ends_at_ms > starts_at_ms),
  CHECK (sponsor_fen = 0 OR sponsorship_id IS NOT NULL),
  CHECK ((status = 'closed') = (closed_at_ms IS NOT NULL))
);
CREATE INDEX grants_projects_by_call ON grants_projects (call_id, id);
CREATE INDEX grants_projects_by_org ON grants_projects (org_id, id);
CREATE INDEX grants_projects_by_sponsorship ON grants_projects (sponsorship_id);

CREATE TABLE grants_milestones (
  project_id BIGINT NOT NULL REFERENCES grants_projects (id),
  seq BIGINT NOT NULL CHECK (seq > 0),
  label TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  due_ms BIGINT NOT NULL,
  -- 'paid' is read from the disbursement; stored: planned, reported, proposed.
  status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'reported', 'proposed')),
  disbursement_id BIGINT UNIQUE REFERENCES fund_disbursements (id),
  PRIMARY KEY (project_id, seq),
  CHECK ((status = 'proposed') = (disbursement_id IS NOT NULL))
);

CREATE TABLE grants_reports (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  project_id BIGINT NOT NULL REFERENCES grants_projects (id),
  kind TEXT NOT NULL CHECK (kind IN ('progress', 'final')),
  period_end_ms BIGINT NOT NULL,
  body TEXT NOT NULL,
  milestone_seq BIGINT,
  used_fen BIGINT NOT NULL DEFAULT 0 CHECK (used_fen >= 0),
  status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'returned')),
  review_note TEXT NOT NULL DEFAULT '',
  submitted_by BIGINT NOT NULL REFERENCES users (id),
  submitted_at_ms BIGINT NOT NULL,
  reviewed_by BIGINT REFERENCES users (id),
  reviewed_at_ms BIGINT,
  disbursement_id BIGINT UNIQUE REFERENCES fund_disbursements (id),
  CHECK (kind = 'progress' OR milestone_seq IS NULL),
  CHECK ((status = 'submitted') = (reviewed_at_ms IS NULL))
);
CREATE INDEX grants_reports_by_project ON grants_reports (project_id, id);
-- One final report per project, unless returned.
CREATE UNIQUE INDEX grants_reports_one_final ON grants_reports (project_id) WHERE kind = 'final' AND status <> 'returned';

CREATE TABLE grants_report_funds (
  report_id BIGINT NOT NULL REFERENCES grants_reports (id),
  seq BIGINT NOT NULL,
  item TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  PRIMARY KEY (report_id, seq)
);

CREATE TABLE grants_observers (
  project_id BIGINT NOT NULL REFERENCES grants_projects (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  added_by BIGINT NOT NULL REFERENCES users (id),
  added_at_ms BIGINT NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
CREATE INDEX grants_observers_by_user ON grants_observers (user_id);

CREATE TABLE grants_visits (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  project_id BIGINT NOT NULL REFERENCES grants_projects (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  visited_at_ms BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX grants_visits_by_project ON grants_visits (project_id, id);
