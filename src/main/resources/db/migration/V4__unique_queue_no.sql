-- A queue number names one task for good: the store refuses a second task with the same number,
-- so a queue owner that numbered a task before it restored the queue fails loudly instead of
-- showing two tasks as "document 7".
CREATE UNIQUE INDEX tasks_unique_queue_no ON tasks (queue_no);
