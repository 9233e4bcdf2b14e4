-- Attachments of 关爱基金 applications (附件: PDF, JPEG, PNG or WebP by their
-- bytes), issue 11. The bytes live in the database, as media_images' do, so
-- every app server of one PostgreSQL database serves every file: BLOB on
-- SQLite, BYTEA on PostgreSQL (the repository binds and reads them per
-- dialect). At most 10 per application: the INSERT decides (INSERT ...
-- SELECT ... WHERE the count is below 10, after locking the application
-- row); size_bytes' CHECK is the last guard of the 10 MiB limit.
CREATE TABLE grants_attachments (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  application_id BIGINT NOT NULL REFERENCES grants_applications (id),
  label TEXT NOT NULL DEFAULT '',
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png', 'image/webp')),
  size_bytes BIGINT NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
-- @sqlite
  bytes BLOB NOT NULL,
-- @end
-- @postgres
  bytes BYTEA NOT NULL,
-- @end
  uploaded_by BIGINT NOT NULL REFERENCES users (id),
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX grants_attachments_by_application ON grants_attachments (application_id, id);
