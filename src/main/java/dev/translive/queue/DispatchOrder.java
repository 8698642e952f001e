package dev.translive.queue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * The order in which queued tasks are handed to translators. The queue's positions and waits are
 * read from {@link #inOrder()}, so they always follow the real dispatch order. One policy lives
 * here: first come first served ({@link Fifo}) and round robin across submitters ({@link FairShare});
 * priorities would be a further policy behind the same operations.
 */
interface DispatchOrder extends Iterable<TaskRecord> {
  /** A newly admitted or restored task, behind the others. */
  void add(TaskRecord task);

  /** A task that had started and goes back to the queue: ahead of everything that never started. */
  void addFirst(TaskRecord task);

  boolean remove(TaskRecord task);

  /** The task to start next; null when none. Not removed. */
  TaskRecord next();

  /** Takes {@link #next()} out to start it. */
  default TaskRecord poll() {
    TaskRecord task = next();
    if (task != null) {
      remove(task);
    }
    return task;
  }

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

  /**
   * Round robin across submitters ({@link dev.translive.bus.TaskSpec#client()}): each submitter's
   * tasks in their order, one submitter after another, so one person's 50 files do not hold back a
   * second person's one. A task put back goes before all of them. inOrder is O(n).
   */
  final class FairShare implements DispatchOrder {
    private final java.util.ArrayDeque<TaskRecord> front = new java.util.ArrayDeque<>();
    /** Submitters in turn order: the first one's head starts next. */
    private final java.util.LinkedHashMap<String, java.util.ArrayDeque<TaskRecord>> groups = new java.util.LinkedHashMap<>();
    private int size;
    private long keys;

    @Override
    public void add(TaskRecord task) {
      groups.computeIfAbsent(String.valueOf(task.spec.client()), c -> new java.util.ArrayDeque<>()).addLast(task);
      placed(task);
    }

    @Override
    public void addFirst(TaskRecord task) {
      front.addFirst(task);
      placed(task);
    }

    private void placed(TaskRecord task) {
      task.orderKey = ++keys; // marks it queued; the order itself lives in the deques
      size++;
    }

    @Override
    public boolean remove(TaskRecord task) {
      if (task.orderKey == null) {
        return false;
      }
      boolean removed = front.remove(task);
      if (!removed) {
        String client = String.valueOf(task.spec.client());
        java.util.ArrayDeque<TaskRecord> group = groups.get(client);
        removed = group != null && group.remove(task);
        if (group != null && group.isEmpty()) {
          groups.remove(client);
        }
      }
      if (removed) {
        task.orderKey = null;
        size--;
      }
      return removed;
    }

    @Override
    public TaskRecord next() {
      if (!front.isEmpty()) {
        return front.peekFirst();
      }
      return groups.isEmpty() ? null : groups.values().iterator().next().peekFirst();
    }

    /** Taking a submitter's head passes the turn to the next submitter. */
    @Override
    public TaskRecord poll() {
      TaskRecord task = front.pollFirst();
      if (task == null && !groups.isEmpty()) {
        String client = groups.keySet().iterator().next();
        java.util.ArrayDeque<TaskRecord> group = groups.remove(client);
        task = group.pollFirst();
        if (!group.isEmpty()) {
          groups.put(client, group); // to the end of the turn order
        }
      }
      if (task != null) {
        task.orderKey = null;
        size--;
      }
      return task;
    }

    @Override
    public int size() {
      return size;
    }

    /** The order tasks would start in if nothing changed: the front, then one per submitter per round. */
    @Override
    public Iterator<TaskRecord> iterator() {
      List<TaskRecord> order = new ArrayList<>(size);
      order.addAll(front);
      List<Iterator<TaskRecord>> turns = new ArrayList<>();
      groups.values().forEach(g -> turns.add(g.iterator()));
      while (!turns.isEmpty()) {
        for (java.util.ListIterator<Iterator<TaskRecord>> it = turns.listIterator(); it.hasNext(); ) {
          Iterator<TaskRecord> turn = it.next();
          if (turn.hasNext()) {
            order.add(turn.next());
          } else {
            it.remove();
          }
        }
      }
      return java.util.Collections.unmodifiableList(order).iterator();
    }
  }
}
