-- 人才库 (issue 13): a rejected social-worker qualification says why, so
-- the member can correct it and send it again.
ALTER TABLE training_qualifications ADD COLUMN reason TEXT NOT NULL DEFAULT '';
