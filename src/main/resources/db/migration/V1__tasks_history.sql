-- Tasks, their state transitions, and the history of finished tasks.
-- Portable SQL: the same file runs on SQLite (single node) and PostgreSQL (cluster).
CREATE TABLE tasks (
  task_id TEXT PRIMARY KEY,
  queue_no BIGINT NOT NULL,
  token_hash TEXT NOT NULL,
  spec TEXT NOT NULL,
  status TEXT NOT NULL,
  stage TEXT NOT NULL,
  progress DOUBLE PRECISION NOT NULL DEFAULT 0,
  error TEXT,
  message TEXT,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT
);
CREATE INDEX tasks_by_status ON tasks (status, queue_no);
CREATE INDEX tasks_by_finish ON tasks (finished_at);

CREATE TABLE task_transitions (
  task_id TEXT NOT NULL,
  at_micros BIGINT NOT NULL,
  status TEXT NOT NULL,
  detail TEXT,
  PRIMARY KEY (task_id, at_micros, status)
);

CREATE TABLE history (
  task_id TEXT PRIMARY KEY,
  finished_at BIGINT NOT NULL,
  entry TEXT NOT NULL
);
CREATE INDEX history_by_finish ON history (finished_at);
