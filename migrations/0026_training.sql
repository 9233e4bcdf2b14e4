-- 党员社工培育: training programmes and classes for party members and
-- branch secretaries, practice records, certificates with a public check,
-- social-worker qualifications, the 党员接待室 log with referral to
-- casework, and the talent pool organisations draw project teams from
-- (docs/design-training.md).
--
-- Class sessions are events of the events domain (date, venue, roster,
-- tickets, check-ins live there). Such an event's sign-ups belong to its
-- class: `roster_only` events refuse sign-ups through the events API.

ALTER TABLE events ADD COLUMN roster_only SMALLINT NOT NULL DEFAULT 0 CHECK (roster_only IN (0, 1));

-- The party-member register a trainer keeps: who is a party member of which
-- village, and who is its general-branch secretary. Class eligibility is
-- decided against it, in the INSERT that enrols.
CREATE TABLE training_members (
  user_id BIGINT PRIMARY KEY REFERENCES users (id),
  village_id BIGINT NOT NULL REFERENCES villages (id),
  secretary SMALLINT NOT NULL CHECK (secretary IN (0, 1)),
  added_by BIGINT NOT NULL REFERENCES users (id),
  added_at_ms BIGINT NOT NULL
);
CREATE INDEX training_members_by_village ON training_members (village_id);

CREATE TABLE training_programmes (
  id {{id}},
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  modules_json TEXT NOT NULL,
  min_attendance_pct BIGINT NOT NULL CHECK (min_attendance_pct BETWEEN 0 AND 100),
  practice_hours BIGINT NOT NULL CHECK (practice_hours BETWEEN 0 AND 1000),
  pass_mark BIGINT NOT NULL CHECK (pass_mark BETWEEN 0 AND 100),
  certificate_level TEXT NOT NULL,
  valid_years BIGINT NOT NULL CHECK (valid_years BETWEEN 1 AND 10),
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL
);

-- One run of a programme. `enrolled` counts active enrolments; the CHECK is
-- the last line against overfilling a class.
CREATE TABLE training_classes (
  id {{id}},
  programme_id BIGINT NOT NULL REFERENCES training_programmes (id),
  title TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  venue_id BIGINT NOT NULL REFERENCES venues (id),
  capacity BIGINT NOT NULL CHECK (capacity BETWEEN 1 AND 500),
  enrolled BIGINT NOT NULL DEFAULT 0,
  secretaries_only SMALLINT NOT NULL CHECK (secretaries_only IN (0, 1)),
  refresher SMALLINT NOT NULL DEFAULT 0 CHECK (refresher IN (0, 1)),
  starts_at_ms BIGINT NOT NULL,
  ends_at_ms BIGINT NOT NULL CHECK (ends_at_ms > starts_at_ms),
  quiz_json TEXT,
  assignment TEXT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  CHECK (enrolled BETWEEN 0 AND capacity)
);
CREATE INDEX training_classes_by_programme ON training_classes (programme_id);

CREATE TABLE training_class_villages (
  class_id BIGINT NOT NULL REFERENCES training_classes (id),
  village_id BIGINT NOT NULL REFERENCES villages (id),
  PRIMARY KEY (class_id, village_id)
);

CREATE TABLE training_class_trainers (
  class_id BIGINT NOT NULL REFERENCES training_classes (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  PRIMARY KEY (class_id, user_id)
);
CREATE INDEX training_class_trainers_by_user ON training_class_trainers (user_id);

CREATE TABLE training_sessions (
  event_id BIGINT PRIMARY KEY REFERENCES events (id),
  class_id BIGINT NOT NULL REFERENCES training_classes (id),
  seq BIGINT NOT NULL,
  module TEXT NOT NULL,
  UNIQUE (class_id, seq)
);

-- Materials of a session: Markdown text, or a file kept by the media store.
CREATE TABLE training_materials (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  event_id BIGINT NOT NULL REFERENCES training_sessions (event_id),
  title TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('markdown', 'pdf', 'image')),
  body TEXT NOT NULL DEFAULT '',
  file_name TEXT,
  content_type TEXT,
  size_bytes BIGINT NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
  sha256 TEXT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  CHECK (kind = 'markdown' OR sha256 IS NOT NULL)
);
CREATE INDEX training_materials_by_session ON training_materials (event_id);

CREATE TABLE training_enrolments (
  class_id BIGINT NOT NULL REFERENCES training_classes (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  status TEXT NOT NULL CHECK (status IN ('enrolled', 'withdrawn')),
  added_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (class_id, user_id)
);
CREATE INDEX training_enrolments_by_user ON training_enrolments (user_id);

-- Every quiz attempt; the best counts.
CREATE TABLE training_quiz_attempts (
  id {{id}},
  class_id BIGINT NOT NULL REFERENCES training_classes (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  score BIGINT NOT NULL CHECK (score BETWEEN 0 AND 100),
  answers_json TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX training_quiz_attempts_by_trainee ON training_quiz_attempts (class_id, user_id);

CREATE TABLE training_assignments (
  class_id BIGINT NOT NULL REFERENCES training_classes (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  body TEXT NOT NULL,
  submitted_at_ms BIGINT NOT NULL,
  grade BIGINT CHECK (grade BETWEEN 0 AND 100),
  feedback TEXT NOT NULL DEFAULT '',
  graded_by BIGINT REFERENCES users (id),
  graded_at_ms BIGINT,
  need_id BIGINT,  -- the village-market need a secretary's assessment became
  PRIMARY KEY (class_id, user_id),
  CHECK ((grade IS NULL) = (graded_at_ms IS NULL))
);

-- 党员接待室: rooms per village, their duty roster (weekday 0 = Sunday), and
-- the visits recorded there. A resident's name and phone are stored only with
-- their consent (sealed with the data key), which the CHECK holds even
-- against a faulty writer; a referral links the casework application.
CREATE TABLE reception_rooms (
  id {{id}},
  village_id BIGINT NOT NULL REFERENCES villages (id),
  name TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  opening_hours TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX reception_rooms_by_village ON reception_rooms (village_id);

CREATE TABLE reception_duty (
  room_id BIGINT NOT NULL REFERENCES reception_rooms (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  weekday SMALLINT NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  PRIMARY KEY (room_id, user_id, weekday)
);
CREATE INDEX reception_duty_by_user ON reception_duty (user_id);

CREATE TABLE reception_visits (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  room_id BIGINT NOT NULL REFERENCES reception_rooms (id),
  village_id BIGINT NOT NULL REFERENCES villages (id),
  recorded_by BIGINT NOT NULL REFERENCES users (id),
  visited_at_ms BIGINT NOT NULL,
  category TEXT NOT NULL,
  summary TEXT NOT NULL,
  action_taken TEXT NOT NULL DEFAULT '',
  follow_up_ms BIGINT,
  consent_name_phone SMALLINT NOT NULL CHECK (consent_name_phone IN (0, 1)),
  resident_name_sealed TEXT,
  resident_phone_sealed TEXT,
  resolved SMALLINT NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1)),
  application_id BIGINT UNIQUE REFERENCES casework_applications (id),
  referred_at_ms BIGINT,
  created_at_ms BIGINT NOT NULL,
  CHECK (consent_name_phone = 1 OR (resident_name_sealed IS NULL AND resident_phone_sealed IS NULL)),
  CHECK ((application_id IS NULL) = (referred_at_ms IS NULL))
);
CREATE INDEX reception_visits_by_room ON reception_visits (room_id, visited_at_ms);
CREATE INDEX reception_visits_by_village ON reception_visits (village_id, visited_at_ms);

-- 服务实践: practice outside event check-ins, confirmed by a trainer or, for
-- a shift at a reception room, by the room's village staff.
CREATE TABLE training_practice (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL CHECK (kind IN ('reception', 'home_visit', 'volunteer', 'other')),
  date_ms BIGINT NOT NULL,
  minutes BIGINT NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
  place TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('casework', 'groupwork', 'community', 'other')),
  note TEXT NOT NULL DEFAULT '',
  room_id BIGINT REFERENCES reception_rooms (id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
  decided_by BIGINT REFERENCES users (id),
  decided_at_ms BIGINT,
  reason TEXT NOT NULL DEFAULT '',
  created_at_ms BIGINT NOT NULL,
  CHECK ((status = 'pending') = (decided_at_ms IS NULL))
);
CREATE INDEX training_practice_by_user ON training_practice (user_id, date_ms);
CREATE INDEX training_practice_by_status ON training_practice (status, created_at_ms);

-- Certificates. The number is random (it is the public check's address);
-- the check code is printed beside it. One per trainee and class.
CREATE TABLE training_certificates (
  id {{id}},
  cert_no TEXT NOT NULL UNIQUE,
  check_code TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES users (id),
  class_id BIGINT NOT NULL REFERENCES training_classes (id),
  programme_id BIGINT NOT NULL REFERENCES training_programmes (id),
  holder_name TEXT NOT NULL,
  programme_title TEXT NOT NULL,
  level TEXT NOT NULL,
  hours BIGINT NOT NULL CHECK (hours >= 0),
  issuer TEXT NOT NULL,
  issued_by BIGINT NOT NULL REFERENCES users (id),
  issued_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL CHECK (expires_at_ms > issued_at_ms),
  renews_id BIGINT REFERENCES training_certificates (id),
  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
  revoked_reason TEXT,
  revoked_by BIGINT REFERENCES users (id),
  revoked_at_ms BIGINT,
  UNIQUE (class_id, user_id),
  CHECK ((status = 'revoked') = (revoked_at_ms IS NOT NULL))
);
CREATE INDEX training_certificates_by_user ON training_certificates (user_id);

-- 社会工作者职业水平证书 a member holds; a trainer verifies it.
CREATE TABLE training_qualifications (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  level TEXT NOT NULL CHECK (level IN ('assistant', 'social_worker', 'senior')),
  number TEXT NOT NULL,
  scan_sha256 TEXT,
  scan_content_type TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
  decided_by BIGINT REFERENCES users (id),
  decided_at_ms BIGINT,
  created_at_ms BIGINT NOT NULL,
  UNIQUE (user_id, level)
);

-- 人才库: opt-in with recorded consent; a withdrawn member stays out of
-- every search. Skills and villages in their own rows, for the search.
CREATE TABLE talent_pool (
  user_id BIGINT PRIMARY KEY REFERENCES users (id),
  availability TEXT NOT NULL DEFAULT '',
  intro TEXT NOT NULL DEFAULT '',
  consent_at_ms BIGINT NOT NULL,
  withdrawn_at_ms BIGINT,
  updated_at_ms BIGINT NOT NULL
);

CREATE TABLE talent_skills (
  user_id BIGINT NOT NULL REFERENCES talent_pool (user_id),
  skill TEXT NOT NULL,
  PRIMARY KEY (user_id, skill)
);
CREATE INDEX talent_skills_by_skill ON talent_skills (skill);

CREATE TABLE talent_villages (
  user_id BIGINT NOT NULL REFERENCES talent_pool (user_id),
  village_id BIGINT NOT NULL REFERENCES villages (id),
  PRIMARY KEY (user_id, village_id)
);

-- An organisation's invitation onto a catalogue project's team; accepted,
-- the member is listed with the project.
CREATE TABLE talent_invitations (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  project_id BIGINT NOT NULL REFERENCES market_projects (id),
  role TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('invited', 'accepted', 'declined', 'withdrawn')),
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL,
  decided_at_ms BIGINT,
  UNIQUE (project_id, user_id)
);
CREATE INDEX talent_invitations_by_user ON talent_invitations (user_id);
