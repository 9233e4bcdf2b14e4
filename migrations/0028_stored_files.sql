-- Uploaded documents the training and talent domains keep (issue 13): a
-- session's PDF or image material and a social-worker qualification's scan.
-- Content-addressed by SHA-256, so the same file uploaded twice is stored
-- once; training_materials.sha256 and training_qualifications.scan_sha256
-- name a row here. The bytes live in the database, as media_images' do, so
-- every app server of one PostgreSQL database serves every file. Nothing
-- reads a row here but through the row that names it, whose rules decide
-- who may.
CREATE TABLE stored_files (
  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png', 'image/webp')),
  size_bytes BIGINT NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
-- @sqlite
  bytes BLOB NOT NULL,
-- @end
-- @postgres
  bytes BYTEA NOT NULL,
-- @end
  created_at_ms BIGINT NOT NULL
);
