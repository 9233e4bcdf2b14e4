-- Tickets reachable by an unguessable id.

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
