-- 社工服务进村(居), purchase: quote requests, quotes, contracts with their
-- collective decision, public notice, objections, milestones, payments,
-- amendments, residents' ratings and the village's evaluation
-- (docs/design-market.md "Purchase", docs/api-market.md).
--
-- The rules that guard scarce or irreversible things are the database's:
-- only a village with a collective economy gets a contract (the INSERT …
-- SELECT reads the flag), one contract per quote and per request, a
-- contract above the threshold cannot be in notice or active without a
-- passed decision, nor active before its notice ends (CHECKs), one payment
-- per milestone, one open amendment per contract, one rating per resident.

CREATE TABLE market_quote_requests (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  village_id BIGINT NOT NULL REFERENCES villages (id),
  project_id BIGINT NOT NULL REFERENCES market_projects (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  need_id BIGINT REFERENCES market_needs (id),
  message TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'withdrawn')),
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
-- One open request per village and project.
CREATE UNIQUE INDEX market_quote_requests_one_open ON market_quote_requests (village_id, project_id)
  WHERE status = 'open';
CREATE INDEX market_quote_requests_by_village ON market_quote_requests (village_id, id);
CREATE INDEX market_quote_requests_by_org ON market_quote_requests (org_id, id);

-- An organisation's offer; its milestones are a JSON array of
-- {title, due_ms, amount_fen, deliverables} whose amounts add up to amount_fen.
CREATE TABLE market_quotes (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  request_id BIGINT NOT NULL REFERENCES market_quote_requests (id),
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  note TEXT NOT NULL DEFAULT '',
  milestones TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'superseded', 'declined')),
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  decided_at_ms BIGINT
);
CREATE INDEX market_quotes_by_request ON market_quotes (request_id, id);
-- At most one accepted quote per request.
CREATE UNIQUE INDEX market_quotes_one_accepted ON market_quotes (request_id) WHERE status = 'accepted';

CREATE TABLE market_contracts (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  village_id BIGINT NOT NULL REFERENCES villages (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  project_id BIGINT NOT NULL REFERENCES market_projects (id),
  request_id BIGINT NOT NULL UNIQUE REFERENCES market_quote_requests (id),
  quote_id BIGINT NOT NULL UNIQUE REFERENCES market_quotes (id),
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  paid_fen BIGINT NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  version BIGINT NOT NULL DEFAULT 1,
  status TEXT NOT NULL
    CHECK (status IN ('awaiting_decision', 'decision_failed', 'in_notice', 'active', 'completed')),
  needs_decision SMALLINT NOT NULL CHECK (needs_decision IN (0, 1)),
  threshold_fen BIGINT NOT NULL,
  -- The collective decision (集体决策), once recorded.
  decision_meeting_kind TEXT,
  decision_held_on_ms BIGINT,
  votes_for BIGINT CHECK (votes_for >= 0),
  votes_against BIGINT CHECK (votes_against >= 0),
  votes_abstain BIGINT CHECK (votes_abstain >= 0),
  minutes_image_id TEXT,
  minutes_text TEXT NOT NULL DEFAULT '',
  decision_passed SMALLINT CHECK (decision_passed IN (0, 1)),
  decision_recorded_at_ms BIGINT,
  -- The public notice (公示).
  notice_starts_at_ms BIGINT,
  notice_ends_at_ms BIGINT,
  notice_days BIGINT,
  activated_at_ms BIGINT,
  completed_at_ms BIGINT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  CHECK (paid_fen <= amount_fen),
  -- Above the threshold nothing is signed without a passed decision …
  CHECK (needs_decision = 0 OR status IN ('awaiting_decision', 'decision_failed') OR decision_passed = 1),
  -- … and nothing takes effect before its notice has ended.
  CHECK (needs_decision = 0 OR status NOT IN ('active', 'completed')
         OR (notice_ends_at_ms IS NOT NULL AND activated_at_ms >= notice_ends_at_ms)),
  CHECK (status <> 'in_notice' OR notice_ends_at_ms IS NOT NULL)
);
CREATE INDEX market_contracts_by_village ON market_contracts (village_id, id);
CREATE INDEX market_contracts_by_org ON market_contracts (org_id, id);
CREATE INDEX market_contracts_by_project ON market_contracts (project_id, id);
CREATE INDEX market_contracts_in_notice ON market_contracts (status, notice_ends_at_ms);

CREATE TABLE market_contract_milestones (
  contract_id BIGINT NOT NULL REFERENCES market_contracts (id),
  n BIGINT NOT NULL CHECK (n >= 1),
  title TEXT NOT NULL,
  due_ms BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  deliverables TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'reported', 'accepted', 'returned')),
  report_text TEXT NOT NULL DEFAULT '',
  report_beneficiaries BIGINT NOT NULL DEFAULT 0 CHECK (report_beneficiaries >= 0),
  report_photo_ids TEXT NOT NULL DEFAULT '[]',  -- JSON array of media image ids
  report_event_id TEXT,                         -- an event's public id (attendance)
  reported_at_ms BIGINT,
  return_reason TEXT NOT NULL DEFAULT '',
  accepted_at_ms BIGINT,
  PRIMARY KEY (contract_id, n),
  CHECK ((status = 'accepted') = (accepted_at_ms IS NOT NULL))
);

-- One payment per milestone; each is booked in the village's own book in
-- the same transaction (book_seq: the payment entry's place in that chain).
CREATE TABLE market_contract_payments (
  id {{id}},
  contract_id BIGINT NOT NULL REFERENCES market_contracts (id),
  milestone_n BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  voucher_no TEXT NOT NULL,
  book_seq BIGINT,
  paid_by BIGINT NOT NULL REFERENCES users (id),
  paid_at_ms BIGINT NOT NULL,
  UNIQUE (contract_id, milestone_n),
  FOREIGN KEY (contract_id, milestone_n) REFERENCES market_contract_milestones (contract_id, n)
);

-- Objections during the notice (异议), answered by the village staff. The
-- objector is kept for the audit only; pages never show it.
CREATE TABLE market_contract_objections (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  contract_id BIGINT NOT NULL REFERENCES market_contracts (id),
  text TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  answer TEXT,
  answered_by BIGINT REFERENCES users (id),
  answered_at_ms BIGINT,
  CHECK ((answer IS NULL) = (answered_at_ms IS NULL))
);
CREATE INDEX market_contract_objections_by_contract ON market_contract_objections (contract_id, id);

-- A change after signing: the new schedule, accepted by the other side.
CREATE TABLE market_contract_amendments (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  contract_id BIGINT NOT NULL REFERENCES market_contracts (id),
  proposed_by TEXT NOT NULL CHECK (proposed_by IN ('village', 'org')),
  reason TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  milestones TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'declined')),
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  decided_by BIGINT REFERENCES users (id),
  decided_at_ms BIGINT
);
CREATE UNIQUE INDEX market_contract_amendments_one_open ON market_contract_amendments (contract_id)
  WHERE status = 'proposed';

-- One rating per resident and contract (residents of the village).
CREATE TABLE market_contract_ratings (
  contract_id BIGINT NOT NULL REFERENCES market_contracts (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  stars SMALLINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (contract_id, user_id)
);

-- The village's own evaluation, once per contract.
CREATE TABLE market_contract_evaluations (
  contract_id BIGINT NOT NULL PRIMARY KEY REFERENCES market_contracts (id),
  stars SMALLINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL
);
