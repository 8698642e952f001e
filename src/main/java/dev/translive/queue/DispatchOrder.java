package dev.translive.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;

/**
 * The order in which queued tasks are handed to translators. The queue's positions and waits are
 * read from {@link #inOrder()}, so they always follow the real dispatch order. Both policies put a
 * task that had started and went back first, then order by priority (high, normal, low); within a
 * priority, {@link Fifo} takes tasks by queue number and {@link FairShare} round robin across
 * submitters. A task keeps its queue number, so one added again (resumed after a pause, or given a
 * new priority) goes back to its old place among those of its priority.
 */
interface DispatchOrder extends Iterable<TaskRecord> {
  /** A newly admitted, restored or resumed task, in its place by priority and queue number. */
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

  /** By priority, then first come first served; a task put back goes to the front. Every operation is O(log n). */
  final class Fifo implements DispatchOrder {
    /** Keys of tasks put back lie below every priority's range. */
    private static final long FRONT = Long.MIN_VALUE / 2;
    private static final long PRIORITY_SPAN = 1L << 52;
    private final TreeMap<Long, TaskRecord> byKey = new TreeMap<>();
    private long head;

    @Override
    public void add(TaskRecord task) {
      put(task, task.rank() * PRIORITY_SPAN + task.number);
    }

    @Override
    public void addFirst(TaskRecord task) {
      put(task, FRONT + --head);
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
      return Collections.unmodifiableCollection(byKey.values()).iterator();
    }
  }

  /**
   * Fair share across submitters ({@link dev.translive.bus.TaskSpec#client()}) within each
   * priority: each submitter's tasks by queue number, and the next task comes from the submitter
   * that has started the fewest since it began waiting, so one person's 50 files do not hold back a
   * second person's one (which starts before the first person's next file). A submitter that
   * arrives, or comes back, starts level with the last one served: waiting earns no credit. A task
   * put back goes before all of them. next is O(submitters), inOrder O(n log submitters).
   */
  final class FairShare implements DispatchOrder {
    /** One submitter's waiting tasks; {@code pass} counts its turns, {@code arrival} breaks ties. */
    private static final class Group {
      final ArrayDeque<TaskRecord> tasks = new ArrayDeque<>();
      long pass;
      final long arrival;

      Group(long pass, long arrival) {
        this.pass = pass;
        this.arrival = arrival;
      }
    }

    /** Submitters whose turns are remembered after their last task started; the oldest are forgotten past this. */
    static final int REMEMBERED_SUBMITTERS = 10_000;

    /** The submitters waiting at one priority. */
    private static final class Level {
      final LinkedHashMap<String, Group> groups = new LinkedHashMap<>();
      /**
       * The pass of submitters with nothing waiting now, so one whose only task just started does
       * not come back ahead of someone who has waited (bounded; only passes ahead of virtualTime matter).
       */
      final LinkedHashMap<String, Long> idle = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Long> eldest) {
          return size() > REMEMBERED_SUBMITTERS;
        }
      };
      /** The pass of the last group served: where a newly arriving submitter starts. */
      long virtualTime;
      long arrivals;

      Group first() {
        Group best = null;
        for (Group g : groups.values()) {
          if (best == null || g.pass < best.pass || g.pass == best.pass && g.arrival < best.arrival) {
            best = g;
          }
        }
        return best;
      }
    }

    private final ArrayDeque<TaskRecord> front = new ArrayDeque<>();
    private final List<Level> levels = List.of(new Level(), new Level(), new Level());
    private int size;
    private long keys;

    @Override
    public void add(TaskRecord task) {
      Level level = levels.get(task.rank());
      Group group = level.groups.computeIfAbsent(String.valueOf(task.spec.client()),
          c -> new Group(Math.max(level.virtualTime, level.idle.getOrDefault(c, 0L)), ++level.arrivals));
      level.idle.remove(String.valueOf(task.spec.client()));
      if (group.tasks.isEmpty() || group.tasks.peekLast().number < task.number) {
        group.tasks.addLast(task);
      } else {
        // Back to its old place among its submitter's tasks (rare: a resume or a new priority).
        List<TaskRecord> all = new ArrayList<>(group.tasks);
        int at = 0;
        while (at < all.size() && all.get(at).number < task.number) {
          at++;
        }
        all.add(at, task);
        group.tasks.clear();
        group.tasks.addAll(all);
      }
      placed(task);
    }

    @Override
    public void addFirst(TaskRecord task) {
      front.addFirst(task);
      placed(task);
    }

    private void placed(TaskRecord task) {
      task.orderKey = ++keys; // marks it queued; the order itself lives in the groups
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
        Level level = levels.get(task.rank());
        Group group = level.groups.get(client);
        removed = group != null && group.tasks.remove(task);
        if (group != null && group.tasks.isEmpty()) {
          level.groups.remove(client);
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
      for (Level level : levels) {
        Group group = level.first();
        if (group != null) {
          return group.tasks.peekFirst();
        }
      }
      return null;
    }

    /** Taking a submitter's head counts a turn for it. */
    @Override
    public TaskRecord poll() {
      TaskRecord task = front.pollFirst();
      for (int i = 0; task == null && i < levels.size(); i++) {
        Level level = levels.get(i);
        Group group = level.first();
        if (group != null) {
          task = group.tasks.pollFirst();
          level.virtualTime = group.pass;
          group.pass++;
          if (group.tasks.isEmpty()) {
            String client = String.valueOf(task.spec.client());
            level.groups.remove(client);
            level.idle.put(client, group.pass);
            level.idle.values().removeIf(pass -> pass <= level.virtualTime);
          }
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

    /** The order tasks would start in if nothing changed: the front, then per priority the turns as poll takes them. */
    @Override
    public Iterator<TaskRecord> iterator() {
      List<TaskRecord> order = new ArrayList<>(size);
      order.addAll(front);
      for (Level level : levels) {
        record Turn(long pass, long arrival, Iterator<TaskRecord> tasks) {}
        java.util.PriorityQueue<Turn> turns = new java.util.PriorityQueue<>(
            java.util.Comparator.comparingLong(Turn::pass).thenComparingLong(Turn::arrival));
        level.groups.values().forEach(g -> turns.add(new Turn(g.pass, g.arrival, g.tasks.iterator())));
        while (!turns.isEmpty()) {
          Turn turn = turns.poll();
          order.add(turn.tasks().next());
          if (turn.tasks().hasNext()) {
            turns.add(new Turn(turn.pass() + 1, turn.arrival(), turn.tasks()));
          }
        }
      }
      return Collections.unmodifiableList(order).iterator();
    }
  }
}
