package dev.translive.queue;

import java.util.Iterator;
import java.util.TreeMap;

/**
 * The order in which queued tasks are handed to translators. The queue's positions and waits are
 * read from {@link #inOrder()}, so they always follow the real dispatch order. One policy lives
 * here, first come first served; fair share across submitters or priorities are further policies
 * behind the same operations.
 */
interface DispatchOrder extends Iterable<TaskRecord> {
  /** A newly admitted or restored task, behind the others. */
  void add(TaskRecord task);

  /** A task that had started and goes back to the queue: ahead of everything that never started. */
  void addFirst(TaskRecord task);

  boolean remove(TaskRecord task);

  /** The task to start next; null when none. Not removed. */
  TaskRecord next();

  int size();

  /** Dispatch order. */
  default Iterable<TaskRecord> inOrder() {
    return this;
  }

  /** First come, first served; a task put back goes to the front. Every operation is O(log n). */
  final class Fifo implements DispatchOrder {
    private final TreeMap<Long, TaskRecord> byKey = new TreeMap<>();
    private long head;
    private long tail;

    @Override
    public void add(TaskRecord task) {
      put(task, ++tail);
    }

    @Override
    public void addFirst(TaskRecord task) {
      put(task, --head);
    }

    private void put(TaskRecord task, long key) {
      if (task.orderKey != null) {
        byKey.remove(task.orderKey);
      }
      task.orderKey = key;
      byKey.put(key, task);
    }

    @Override
    public boolean remove(TaskRecord task) {
      if (task.orderKey == null || byKey.get(task.orderKey) != task) {
        return false;
      }
      byKey.remove(task.orderKey);
      task.orderKey = null;
      return true;
    }

    @Override
    public TaskRecord next() {
      return byKey.isEmpty() ? null : byKey.firstEntry().getValue();
    }

    @Override
    public int size() {
      return byKey.size();
    }

    @Override
    public Iterator<TaskRecord> iterator() {
      return java.util.Collections.unmodifiableCollection(byKey.values()).iterator();
    }
  }
}
