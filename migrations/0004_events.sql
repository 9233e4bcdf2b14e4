-- Events (活动报名): activities published by organisations, registrations
-- with a waitlist and tickets, check-ins, and volunteer-service records.
-- Also a resident's home village (who may join village-only events).

ALTER TABLE users ADD COLUMN home_village_id BIGINT REFERENCES villages (id);

CREATE TABLE events (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  cover_url TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  organiser TEXT NOT NULL,
  venue_id BIGINT NOT NULL REFERENCES venues (id),
  starts_at_ms BIGINT NOT NULL,
  ends_at_ms BIGINT NOT NULL CHECK (ends_at_ms > starts_at_ms),
  signup_opens_at_ms BIGINT NOT NULL,
  signup_closes_at_ms BIGINT NOT NULL CHECK (signup_closes_at_ms > signup_opens_at_ms),
  capacity BIGINT NOT NULL CHECK (capacity > 0),
  -- Seats held by confirmed and offered registrations; the last line of
  -- defence against overbooking is this CHECK.
  confirmed_seats BIGINT NOT NULL DEFAULT 0 CHECK (confirmed_seats >= 0 AND confirmed_seats <= capacity),
  waitlisted_seats BIGINT NOT NULL DEFAULT 0 CHECK (waitlisted_seats >= 0),
  waitlisted_count BIGINT NOT NULL DEFAULT 0 CHECK (waitlisted_count >= 0),  -- registrations waiting
  next_seq BIGINT NOT NULL DEFAULT 0,          -- arrival order of registrations
  audience TEXT NOT NULL CHECK (audience IN ('everyone', 'villages', 'volunteers')),
  per_person_limit BIGINT NOT NULL DEFAULT 1 CHECK (per_person_limit BETWEEN 1 AND 10),
  questions_json TEXT NOT NULL DEFAULT '[]',
  records_hours SMALLINT NOT NULL DEFAULT 0 CHECK (records_hours IN (0, 1)),
  volunteer_minutes BIGINT NOT NULL DEFAULT 0,
  confirm_within_hours BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'cancelled')),
  cancel_reason TEXT,
  reminder_sent_at_ms BIGINT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX events_by_start ON events (starts_at_ms);
CREATE INDEX events_by_org ON events (org_id, starts_at_ms);

CREATE TABLE event_villages (
  event_id BIGINT NOT NULL REFERENCES events (id),
  village_id BIGINT NOT NULL REFERENCES villages (id),
  PRIMARY KEY (event_id, village_id)
);

CREATE TABLE event_registrations (
  id {{id}},
  event_id BIGINT NOT NULL REFERENCES events (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  seats BIGINT NOT NULL CHECK (seats > 0),
  seq BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'offered', 'cancelled', 'expired')),
  ticket_code TEXT NOT NULL,
  answers_json TEXT NOT NULL DEFAULT '{}',
  offer_expires_at_ms BIGINT,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
-- One active registration per person and event, whatever the races.
CREATE UNIQUE INDEX event_registrations_active ON event_registrations (event_id, user_id)
  WHERE status IN ('confirmed', 'waitlisted', 'offered');
CREATE UNIQUE INDEX event_registrations_order ON event_registrations (event_id, seq);
CREATE UNIQUE INDEX event_registrations_ticket ON event_registrations (event_id, ticket_code);
CREATE INDEX event_registrations_by_user ON event_registrations (user_id);
CREATE INDEX event_registrations_by_status ON event_registrations (event_id, status, seq);

-- One check-in per ticket: offline replays find the row and change nothing.
CREATE TABLE event_checkins (
  registration_id BIGINT PRIMARY KEY REFERENCES event_registrations (id),
  event_id BIGINT NOT NULL REFERENCES events (id),
  checked_in_at_ms BIGINT NOT NULL,
  by_user_id BIGINT NOT NULL REFERENCES users (id),
  client_id TEXT,
  received_at_ms BIGINT NOT NULL
);
CREATE INDEX event_checkins_by_event ON event_checkins (event_id);

CREATE TABLE volunteers (
  user_id BIGINT PRIMARY KEY REFERENCES users (id),
  real_name TEXT NOT NULL,
  registered_at_ms BIGINT NOT NULL
);

-- Volunteer-service records: the organising organisation records and
-- certifies (志愿服务记录与证明出具办法).
CREATE TABLE volunteer_records (
  id {{id}},
  user_id BIGINT NOT NULL REFERENCES users (id),
  event_id BIGINT NOT NULL REFERENCES events (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  title TEXT NOT NULL,
  service_date_ms BIGINT NOT NULL,
  minutes BIGINT NOT NULL CHECK (minutes >= 0),
  recorded_by BIGINT NOT NULL REFERENCES users (id),
  recorded_at_ms BIGINT NOT NULL,
  UNIQUE (user_id, event_id)
);
