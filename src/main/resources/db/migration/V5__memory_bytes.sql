-- The translation memory is bounded in bytes as well as entries (memory.maxBytes): each entry
-- records what it counts for. Existing entries count their translation's length.
ALTER TABLE translation_memory ADD COLUMN bytes BIGINT NOT NULL DEFAULT 0;
UPDATE translation_memory SET bytes = LENGTH(translation);
