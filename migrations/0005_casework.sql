-- Service applications (服务申请): the services organisations offer, residents'
-- applications with a status timeline and messages. Sensitive fields
-- (health condition, ID number) are stored only sealed with libsodium's
-- secretbox (key from configuration) and purged on a retention schedule.

CREATE TABLE casework_services (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  eligibility TEXT NOT NULL DEFAULT '',
  response_days BIGINT NOT NULL CHECK (response_days BETWEEN 1 AND 60),
  active SMALLINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_by BIGINT REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  UNIQUE (org_id, name)
);

-- No rows: the service covers every village.
CREATE TABLE casework_service_villages (
  service_id BIGINT NOT NULL REFERENCES casework_services (id),
  village_id BIGINT NOT NULL REFERENCES villages (id),
  PRIMARY KEY (service_id, village_id)
);

CREATE TABLE casework_applications (
  id {{id}},
  service_id BIGINT NOT NULL REFERENCES casework_services (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),    -- the organisation handling it now
  applicant_id BIGINT NOT NULL REFERENCES users (id),
  for_whom TEXT NOT NULL CHECK (for_whom IN ('self', 'family')),
  beneficiary_name TEXT NOT NULL DEFAULT '',
  relationship TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL,
  preferred_times TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL,
  village_id BIGINT REFERENCES villages (id),
  status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'declined', 'closed')),
  worker_id BIGINT REFERENCES users (id),
  submitted_at_ms BIGINT NOT NULL,
  received_at_ms BIGINT NOT NULL,                 -- by the current organisation (submission or referral)
  due_at_ms BIGINT NOT NULL,
  first_response_at_ms BIGINT,                    -- the current organisation's first response
  closed_at_ms BIGINT,
  outcome TEXT,
  rating BIGINT CHECK (rating BETWEEN 1 AND 5),
  rating_comment TEXT,
  sensitive_box TEXT,                             -- base64(nonce || secretbox(JSON)); NULL when none or purged
  sensitive_consent_at_ms BIGINT,
  sensitive_purged_at_ms BIGINT,
  updated_at_ms BIGINT NOT NULL
);
CREATE INDEX casework_applications_by_org ON casework_applications (org_id, status, due_at_ms);
CREATE INDEX casework_applications_by_applicant ON casework_applications (applicant_id);
CREATE INDEX casework_applications_due ON casework_applications (status, due_at_ms);

CREATE TABLE casework_timeline (
  id {{id}},
  application_id BIGINT NOT NULL REFERENCES casework_applications (id),
  at_ms BIGINT NOT NULL,
  kind TEXT NOT NULL,
  actor_id BIGINT REFERENCES users (id),
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX casework_timeline_by_application ON casework_timeline (application_id, id);

CREATE TABLE casework_messages (
  id {{id}},
  application_id BIGINT NOT NULL REFERENCES casework_applications (id),
  author_id BIGINT NOT NULL REFERENCES users (id),
  from_staff SMALLINT NOT NULL CHECK (from_staff IN (0, 1)),
  body TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX casework_messages_by_application ON casework_messages (application_id, id);
