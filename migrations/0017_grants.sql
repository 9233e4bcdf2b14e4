-- 关爱基金 project calls (申报批次), applications, the reviewer pool
-- (社会评审人员库: experts and citizen representatives), conflicts of
-- interest, review meetings and their seats. docs/design-grants.md §1.
-- Rules on scarce things are decided by the writing statement (a conditional
-- UPDATE or an INSERT ... SELECT with the rule in its WHERE) or under a row
-- lock; the CHECKs and partial unique indexes below are the last guard.

CREATE TABLE grants_calls (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  purpose_id BIGINT REFERENCES fund_purposes (id),      -- the fund purpose the grants are paid from
  budget_fen BIGINT NOT NULL CHECK (budget_fen > 0),
  cap_fen BIGINT NOT NULL CHECK (cap_fen > 0 AND cap_fen <= budget_fen),
  -- What decisions have awarded so far: never above the budget.
  awarded_fen BIGINT NOT NULL DEFAULT 0 CHECK (awarded_fen >= 0 AND awarded_fen <= budget_fen),
  opens_at_ms BIGINT NOT NULL,
  closes_at_ms BIGINT NOT NULL CHECK (closes_at_ms > opens_at_ms),
  -- The public-support phase (全民点赞) runs from the close to this; NULL: none.
  support_closes_at_ms BIGINT CHECK (support_closes_at_ms IS NULL OR support_closes_at_ms > closes_at_ms),
  review_at_ms BIGINT,
  notice_at_ms BIGINT,
  objection_days BIGINT NOT NULL DEFAULT 7 CHECK (objection_days BETWEEN 0 AND 60),
  min_cofunding_pct BIGINT NOT NULL DEFAULT 0 CHECK (min_cofunding_pct BETWEEN 0 AND 100),
  min_org_rating TEXT CHECK (min_org_rating IS NULL OR min_org_rating IN ('3A', '4A', '5A')),
  panel_experts BIGINT NOT NULL CHECK (panel_experts BETWEEN 0 AND 9),
  panel_citizens BIGINT NOT NULL CHECK (panel_citizens BETWEEN 0 AND 9),
  expert_weight_pct BIGINT CHECK (expert_weight_pct IS NULL OR expert_weight_pct BETWEEN 0 AND 100),
  normalise SMALLINT NOT NULL DEFAULT 0 CHECK (normalise IN (0, 1)),
  status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'cancelled')),
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  CHECK (panel_experts + panel_citizens > 0),
  CHECK (review_at_ms IS NULL OR review_at_ms >= closes_at_ms),
  CHECK (notice_at_ms IS NULL OR review_at_ms IS NULL OR notice_at_ms >= review_at_ms)
);
CREATE INDEX grants_calls_by_open ON grants_calls (opens_at_ms);

CREATE TABLE grants_call_types (
  call_id BIGINT NOT NULL REFERENCES grants_calls (id),
  project_type TEXT NOT NULL,
  ord BIGINT NOT NULL,
  PRIMARY KEY (call_id, project_type)
);

CREATE TABLE grants_call_modes (
  call_id BIGINT NOT NULL REFERENCES grants_calls (id),
  mode TEXT NOT NULL CHECK (mode IN ('full', 'joint', 'cooperative')),
  PRIMARY KEY (call_id, mode)
);

CREATE TABLE grants_rubric (
  call_id BIGINT NOT NULL REFERENCES grants_calls (id),
  criterion TEXT NOT NULL,
  weight BIGINT NOT NULL CHECK (weight BETWEEN 1 AND 100),
  ord BIGINT NOT NULL,
  PRIMARY KEY (call_id, criterion)
);

CREATE TABLE grants_applications (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  call_id BIGINT NOT NULL REFERENCES grants_calls (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  title TEXT NOT NULL,
  project_type TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  beneficiaries TEXT NOT NULL DEFAULT '',             -- who is served
  beneficiary_count BIGINT NOT NULL DEFAULT 0 CHECK (beneficiary_count >= 0),
  goals TEXT NOT NULL DEFAULT '',
  indicators TEXT NOT NULL DEFAULT '',                -- measurable indicators
  activities TEXT NOT NULL DEFAULT '',                -- activities and timeline
  starts_at_ms BIGINT,
  ends_at_ms BIGINT,
  total_fen BIGINT NOT NULL DEFAULT 0 CHECK (total_fen >= 0),   -- the sum of the budget lines
  requested_fen BIGINT NOT NULL CHECK (requested_fen > 0),
  funding_mode TEXT NOT NULL CHECK (funding_mode IN ('full', 'joint', 'cooperative')),
  partner_name TEXT NOT NULL DEFAULT '',              -- 合作: the partner
  in_kind_note TEXT NOT NULL DEFAULT '',              -- 合作: the partner's in-kind contribution
  in_kind_fen BIGINT NOT NULL DEFAULT 0 CHECK (in_kind_fen >= 0),
  sponsorship_id BIGINT REFERENCES fund_sponsorships (id),  -- 冠名
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'withdrawn', 'ineligible', 'eligible',
                                         'under_review', 'decided')),
  -- The automatic checks at submission (JSON list of problems; [] = none)
  -- and the admin's eligibility decision.
  auto_checks TEXT NOT NULL DEFAULT '[]',
  eligibility_note TEXT NOT NULL DEFAULT '',
  checked_by BIGINT REFERENCES users (id),
  checked_at_ms BIGINT,
  decision TEXT CHECK (decision IS NULL OR decision IN ('approved', 'rejected')),
  awarded_fen BIGINT NOT NULL DEFAULT 0 CHECK (awarded_fen >= 0 AND awarded_fen <= requested_fen),
  decision_reason TEXT NOT NULL DEFAULT '',
  decided_by BIGINT REFERENCES users (id),
  decided_at_ms BIGINT,
  support_count BIGINT NOT NULL DEFAULT 0 CHECK (support_count >= 0),
  version BIGINT NOT NULL DEFAULT 1,
  submitted_at_ms BIGINT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  CHECK (status = 'draft' OR requested_fen <= total_fen),
  CHECK (starts_at_ms IS NULL OR ends_at_ms IS NULL OR ends_at_ms > starts_at_ms),
  CHECK (awarded_fen = 0 OR decision = 'approved'),
  CHECK (decision IS NULL OR decision <> 'approved' OR awarded_fen > 0),
  CHECK ((decision IS NULL) = (status <> 'decided'))
);
CREATE INDEX grants_applications_by_call ON grants_applications (call_id, status);
CREATE INDEX grants_applications_by_org ON grants_applications (org_id, id);

CREATE TABLE grants_app_villages (
  application_id BIGINT NOT NULL REFERENCES grants_applications (id),
  village_id BIGINT NOT NULL REFERENCES villages (id),
  PRIMARY KEY (application_id, village_id)
);
CREATE INDEX grants_app_villages_by_village ON grants_app_villages (village_id);

CREATE TABLE grants_budget_lines (
  application_id BIGINT NOT NULL REFERENCES grants_applications (id),
  ord BIGINT NOT NULL,
  item TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  PRIMARY KEY (application_id, ord)
);

-- 合资: who else pays, and how much.
CREATE TABLE grants_cofunders (
  application_id BIGINT NOT NULL REFERENCES grants_applications (id),
  ord BIGINT NOT NULL,
  name TEXT NOT NULL,
  org_id BIGINT REFERENCES orgs (id),
  share_fen BIGINT NOT NULL CHECK (share_fen > 0),
  PRIMARY KEY (application_id, ord)
);

-- 全民点赞: one vote per resident account and application.
CREATE TABLE grants_support_votes (
  application_id BIGINT NOT NULL REFERENCES grants_applications (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (application_id, user_id)
);

CREATE TABLE grants_reviewers (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL UNIQUE REFERENCES users (id),
  kind TEXT NOT NULL CHECK (kind IN ('expert', 'citizen')),
  status TEXT NOT NULL CHECK (status IN ('applied', 'approved', 'rejected', 'suspended')),
  village_id BIGINT REFERENCES villages (id),         -- a citizen's own village or community
  title TEXT NOT NULL DEFAULT '',                     -- an expert's profession or affiliation
  statement TEXT NOT NULL DEFAULT '',
  declarations TEXT NOT NULL DEFAULT '',
  load_cap BIGINT NOT NULL CHECK (load_cap BETWEEN 1 AND 50),
  decided_by BIGINT REFERENCES users (id),
  decided_at_ms BIGINT,
  created_at_ms BIGINT NOT NULL,
  CHECK (kind = 'expert' OR village_id IS NOT NULL)
);

CREATE TABLE grants_reviewer_tags (
  reviewer_id BIGINT NOT NULL REFERENCES grants_reviewers (id),
  project_type TEXT NOT NULL,
  PRIMARY KEY (reviewer_id, project_type)
);

-- Declared conflicts of interest (the automatic ones come from user_roles
-- and the reviewer's village: repo.cc's conflict predicate).
CREATE TABLE grants_conflicts (
  id {{id}},
  reviewer_id BIGINT NOT NULL REFERENCES grants_reviewers (id),
  org_id BIGINT REFERENCES orgs (id),
  village_id BIGINT REFERENCES villages (id),
  note TEXT NOT NULL DEFAULT '',
  declared_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  CHECK (org_id IS NOT NULL OR village_id IS NOT NULL)
);
CREATE INDEX grants_conflicts_by_reviewer ON grants_conflicts (reviewer_id);

CREATE TABLE grants_meetings (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  call_id BIGINT NOT NULL REFERENCES grants_calls (id),
  title TEXT NOT NULL DEFAULT '',
  held_at_ms BIGINT NOT NULL,
  venue TEXT NOT NULL DEFAULT '',
  scores_due_ms BIGINT NOT NULL CHECK (scores_due_ms > 0),
  status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'assigned', 'closed')),
  last_cost BIGINT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX grants_meetings_by_call ON grants_meetings (call_id);

-- Reviewers who said they cannot attend a meeting (everyone else approved is
-- available).
CREATE TABLE grants_unavailable (
  meeting_id BIGINT NOT NULL REFERENCES grants_meetings (id),
  reviewer_id BIGINT NOT NULL REFERENCES grants_reviewers (id),
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (meeting_id, reviewer_id)
);

-- Seats on an application's panel. A live seat (proposed or accepted) is
-- never double-filled, and a reviewer holds at most one live seat per
-- application; the upper bound (the call's panel size) and the load cap are
-- in the INSERT ... SELECT that writes a seat.
CREATE TABLE grants_assignments (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  meeting_id BIGINT NOT NULL REFERENCES grants_meetings (id),
  application_id BIGINT NOT NULL REFERENCES grants_applications (id),
  reviewer_id BIGINT NOT NULL REFERENCES grants_reviewers (id),
  kind TEXT NOT NULL CHECK (kind IN ('expert', 'citizen')),
  seat_no BIGINT NOT NULL CHECK (seat_no >= 1),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'declined', 'removed')),
  cost BIGINT NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '{}',                  -- why this reviewer was placed (JSON)
  created_by BIGINT REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  answered_at_ms BIGINT
);
CREATE UNIQUE INDEX grants_assignments_seat ON grants_assignments (application_id, kind, seat_no)
  WHERE status IN ('proposed', 'accepted');
CREATE UNIQUE INDEX grants_assignments_pair ON grants_assignments (application_id, reviewer_id)
  WHERE status IN ('proposed', 'accepted');
CREATE INDEX grants_assignments_by_reviewer ON grants_assignments (reviewer_id, status);
CREATE INDEX grants_assignments_by_meeting ON grants_assignments (meeting_id, application_id);

-- A naming sponsorship may be restricted to one project type (NULL: any).
ALTER TABLE fund_sponsorships ADD COLUMN project_type TEXT;
