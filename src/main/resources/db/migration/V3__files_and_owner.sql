-- Uploads and results live in the database, because cluster nodes share no disk.
CREATE TABLE files (
  key TEXT PRIMARY KEY,
  content ${BLOB} NOT NULL,
  size BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);

-- The epoch of the current queue owner. Every queue-owner write checks it, so an owner that has
-- been replaced (a partitioned old node) has its writes refused instead of overwriting the new one.
CREATE TABLE queue_owner (
  id INTEGER PRIMARY KEY,
  epoch BIGINT NOT NULL
);
INSERT INTO queue_owner (id, epoch) VALUES (1, 0);
