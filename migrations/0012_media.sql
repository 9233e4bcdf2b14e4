-- Uploaded images (src/media): one row per image, its WebP variants beside
-- it. Bytes live in the database, not on a disk of one server, so every app
-- server of one PostgreSQL database serves every image.
--
-- `attached_to` is set by the domain that uses the image ("shop_item:…"),
-- in its own transaction; an attached image cannot be deleted by its owner
-- (the DELETE is conditional on `attached_to IS NULL`).
CREATE TABLE media_images (
  id {{id}},
  public_id TEXT NOT NULL UNIQUE,
  owner_id BIGINT NOT NULL REFERENCES users(id),
  width INTEGER NOT NULL CHECK (width > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  source_type TEXT NOT NULL CHECK (source_type IN ('jpeg', 'png', 'webp')),
  attached_to TEXT,
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX media_images_owner ON media_images (owner_id, id);

-- The variants' bytes: BLOB on SQLite, BYTEA on PostgreSQL (the repository
-- binds and reads them per dialect).
-- @sqlite
CREATE TABLE media_variants (
  image_id BIGINT NOT NULL REFERENCES media_images(id) ON DELETE CASCADE,
  variant TEXT NOT NULL CHECK (variant IN ('full', 'thumb')),
  width INTEGER NOT NULL CHECK (width > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  etag TEXT NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (image_id, variant)
);
-- @end
-- @postgres
CREATE TABLE media_variants (
  image_id BIGINT NOT NULL REFERENCES media_images(id) ON DELETE CASCADE,
  variant TEXT NOT NULL CHECK (variant IN ('full', 'thumb')),
  width INTEGER NOT NULL CHECK (width > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  etag TEXT NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (image_id, variant)
);
-- pg_trgm serves the Chinese full-text search of every domain
-- (src/media/search.h). A database owner may create it since PostgreSQL 13
-- (it is a trusted extension).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- @end
