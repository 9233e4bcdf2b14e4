-- Tickets reachable by an unguessable id, and the guards the database keeps
-- on casework applications' states (see src/db/lock.h for the pattern).

-- A registration (a ticket) appears in URLs (/me/tickets/…, the ticket QR,
-- cancel, confirm) by an unguessable id (NewPublicId: 20 base32 characters,
-- 100 random bits); the integer key never leaves the server. Registrations
-- from before this migration get one here.
ALTER TABLE event_registrations ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
-- @sqlite
UPDATE event_registrations SET public_id = substr(replace(replace(replace(replace(
  lower(hex(randomblob(16))), '0', 'q'), '1', 'r'), '8', 's'), '9', 't'), 1, 20);
-- @end
-- @postgres
UPDATE event_registrations SET public_id =
  substr(translate(replace(gen_random_uuid()::text, '-', ''), '0189', 'qrst'), 1, 20);
-- @end
CREATE UNIQUE INDEX event_registrations_public_id ON event_registrations (public_id);

-- Casework: the service decides every transition under the application's
-- row lock; these are the last guard should a rule there be wrong. An
-- accepted application has a worker; a finished one a closing time; only a
-- closed one a rating.
-- @postgres
ALTER TABLE casework_applications ADD CONSTRAINT casework_applications_accepted_has_worker
  CHECK (status <> 'accepted' OR worker_id IS NOT NULL);
ALTER TABLE casework_applications ADD CONSTRAINT casework_applications_finished_has_time
  CHECK (status NOT IN ('closed', 'declined') OR closed_at_ms IS NOT NULL);
ALTER TABLE casework_applications ADD CONSTRAINT casework_applications_rated_when_closed
  CHECK (rating IS NULL OR status = 'closed');
-- @end
-- SQLite cannot add a CHECK to a table: a trigger guards the updates, where
-- states change (an application is only ever inserted as 'submitted').
-- @sqlite
CREATE TRIGGER casework_applications_states_update BEFORE UPDATE ON casework_applications
  WHEN (NEW.status = 'accepted' AND NEW.worker_id IS NULL)
    OR (NEW.status IN ('closed', 'declined') AND NEW.closed_at_ms IS NULL)
    OR (NEW.rating IS NOT NULL AND NEW.status <> 'closed')
BEGIN
  SELECT RAISE(ABORT, 'CHECK constraint failed: casework_applications_states');
END;
-- @end
