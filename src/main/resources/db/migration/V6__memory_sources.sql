-- Which tasks a remembered translation came from or served. When the last of them is removed by
-- the retention sweep, the translation goes with it, so a document's text does not outlive the
-- task's retention in the shared memory.
CREATE TABLE memory_sources (
  key_hash TEXT NOT NULL,
  task_id TEXT NOT NULL,
  PRIMARY KEY (key_hash, task_id)
);
CREATE INDEX memory_sources_by_task ON memory_sources (task_id);
