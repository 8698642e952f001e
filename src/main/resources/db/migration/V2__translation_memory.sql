-- Translation memory: one row per (engine, model, source_lang, target_lang, segment), keyed by a
-- hash of those five so lookups stay on a short primary key.
CREATE TABLE translation_memory (
  key_hash TEXT PRIMARY KEY,
  engine TEXT NOT NULL,
  source_lang TEXT NOT NULL,
  target_lang TEXT NOT NULL,
  translation TEXT NOT NULL,
  last_used BIGINT NOT NULL
);
CREATE INDEX tm_by_last_used ON translation_memory (last_used);
