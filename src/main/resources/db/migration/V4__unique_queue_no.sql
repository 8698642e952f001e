-- A queue number names one task for good: the store refuses a second task with the same number,
-- so a queue owner that numbered a task before it restored the queue fails loudly instead of
-- showing two tasks as "document 7". Numbers an earlier version gave twice are first moved above
-- all others (each later duplicate gets a number of its own).
UPDATE tasks SET queue_no = (SELECT MAX(queue_no) FROM tasks)
    + (SELECT COUNT(*) FROM tasks u WHERE u.task_id < tasks.task_id) + 1
  WHERE EXISTS (SELECT 1 FROM tasks d WHERE d.queue_no = tasks.queue_no AND d.task_id < tasks.task_id);
CREATE UNIQUE INDEX tasks_unique_queue_no ON tasks (queue_no);
