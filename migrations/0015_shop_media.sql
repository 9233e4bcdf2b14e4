-- Photos and search for 公益商城 products and 公益拍卖 lots.
--
-- `photos`: the ordered photos ("id:width:height", space-separated;
-- media::EncodePhotos), written in the same transaction that attaches the
-- images (media_images.attached_to = 'shop_product:<id>' / 'auction_lot:<id>',
-- which keeps one owner per image), so lists render them with no query per row.
ALTER TABLE shop_products ADD COLUMN photos TEXT NOT NULL DEFAULT '';
ALTER TABLE auction_lots ADD COLUMN photos TEXT NOT NULL DEFAULT '';

-- Chinese full-text search over a product's title and description
-- (media::SearchIndexDdl({"shop_products", {"title", "description"}})):
-- kept by triggers on SQLite, an expression index on PostgreSQL; either way
-- the write that changes a product changes its index in the same transaction.
-- @sqlite
CREATE VIRTUAL TABLE shop_products_fts USING fts5(title, description, content='shop_products', content_rowid='id', tokenize='trigram');
CREATE TRIGGER shop_products_fts_insert AFTER INSERT ON shop_products BEGIN
  INSERT INTO shop_products_fts (rowid, title, description) VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER shop_products_fts_delete AFTER DELETE ON shop_products BEGIN
  INSERT INTO shop_products_fts (shop_products_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
END;
CREATE TRIGGER shop_products_fts_update AFTER UPDATE OF title, description ON shop_products BEGIN
  INSERT INTO shop_products_fts (shop_products_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
  INSERT INTO shop_products_fts (rowid, title, description) VALUES (new.id, new.title, new.description);
END;
INSERT INTO shop_products_fts (shop_products_fts) VALUES ('rebuild');
-- @end
-- @postgres
CREATE INDEX shop_products_search ON shop_products USING gin ((coalesce(title, '') || ' ' || coalesce(description, '')) gin_trgm_ops);
-- @end
