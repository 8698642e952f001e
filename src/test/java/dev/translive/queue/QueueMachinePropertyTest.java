package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.bus.Internal;
import dev.translive.bus.TransliveException;
import dev.translive.progress.Stage;
import dev.translive.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random runs of every transition, thousands of steps each, against a model of what each
 * task should be. After every step: no task is lost, none runs twice, no queue number is reused
 * (also across restarts), positions are 1..n in dispatch order, and no more than the slots run.
 * A failure names its seed and step, so it replays exactly.
 */
class QueueMachinePropertyTest {
  private static final int STEPS = 4000;
  private static final int CONCURRENCY = 3;
  private static final int KEPT = 20;
  private static final List<String> TRANSLATORS = List.of("tr-a", "tr-b");

  private enum Expected { QUEUED, RUNNING, PAUSED, FINISHED }

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final Map<String, Expected> model = new HashMap<>();
  /** Queue numbers of the tasks the store holds (a withdrawn task was never stored: its number may come again). */
  private final Set<Long> numbers = new HashSet<>();
  private Random random;
  private QueueMachine machine;
  private boolean clustered;
  private boolean fairShare;
  private int nextId;
  private int step;
  private long seed;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 6, 9, 42, 1234, 20261129, 777, 31337})
  void everyTransitionKeepsTheQueueWhole(long seed) {
    this.seed = seed;
    random = new Random(seed);
    clustered = seed % 2 == 0;
    fairShare = seed % 3 == 0;
    machine = newMachine();
    for (step = 0; step < STEPS; step++) {
      clock.addAndGet(random.nextInt(400));
      switch (random.nextInt(15)) {
        case 12 -> pause();
        case 13 -> resume();
        case 14 -> operator();
        case 0, 1, 2 -> submit();
        case 3, 4 -> admit();
        case 5 -> progress();
        case 6 -> report();
        case 7 -> cancel();
        case 8 -> handOffFails();
        case 9 -> heartbeat();
        case 10 -> translatorsGoSilent();
        default -> {
          if (random.nextInt(8) == 0) {
            restart();
          } else {
            admit();
          }
        }
      }
      checkInvariants();
    }
  }

  private QueueMachine newMachine() {
    return new QueueMachine(new QueueMachine.Settings(CONCURRENCY, 40, KEPT, false, 1.0, 0, 0, fairShare), clock::get,
        engine -> null);
  }

  private void submit() {
    String id = "t" + nextId++;
    TaskRecord task;
    try {
      task = machine.submit(QueueMachineTest.spec(id, 1 + random.nextInt(50), pick(List.of("alice", "bob", "carol"))),
          "token-" + id);
    } catch (TransliveException full) {
      assertTrue(machine.full(), at("refused only when full"));
      return;
    }
    if (random.nextInt(10) == 0) {
      machine.withdraw(id); // the store refused it: it never existed
      return;
    }
    assertTrue(numbers.add(task.number), at("queue number " + task.number + " reused"));
    model.put(id, Expected.QUEUED);
    machine.stored(id);
  }

  private void admit() {
    int free = CONCURRENCY - machine.running().size();
    List<TaskRecord> expected = machine.queuePaused() ? List.of() : machine.queuedHead(Math.max(0, free));
    List<TaskRecord> started = machine.admit();
    assertEquals(expected, started, at("tasks start in the order positions and waits show"));
    for (TaskRecord task : started) {
      assertEquals(Expected.QUEUED, model.get(task.id()), at(task.id() + " started while " + model.get(task.id())));
      model.put(task.id(), Expected.RUNNING);
      if (random.nextBoolean()) {
        machine.handedTo(task.id(), pick(TRANSLATORS));
      }
    }
  }

  private void progress() {
    String id = any(Expected.RUNNING);
    if (id == null) {
      return;
    }
    Stage stage = random.nextInt(5) == 0 ? null : pick(List.of(Stage.values()));
    machine.progress(new Internal.ProgressSeen(id, stage, random.nextDouble(), 1, 1, 0, 1.0), "message");
    assertTrue(machine.isRunning(id), at("progress never ends " + id));
  }

  private void report() {
    String id = any(Expected.RUNNING);
    if (id == null) {
      return;
    }
    TaskRecord task = machine.find(id);
    String reporter = random.nextInt(4) == 0 ? pick(TRANSLATORS) : task.translator;
    boolean foreign = task.translator != null && reporter != null && !reporter.equals(task.translator);
    Stage end = pick(List.of(Stage.COMPLETED, Stage.FAILED, Stage.CANCELLED));
    QueueMachine.Ending ending = machine.report(new Internal.Report(id, end, "m", "e", reporter, 1, 1.0));
    assertEquals(!foreign, ending.accepted(), at("a report is taken from the translator that runs the task only"));
    if (ending.accepted()) {
      model.put(id, Expected.FINISHED);
    }
  }

  private void cancel() {
    String id = random.nextInt(3) == 0 ? any(Expected.PAUSED) : random.nextBoolean() ? any(Expected.QUEUED) : any(Expected.RUNNING);
    if (id == null) {
      return;
    }
    QueueMachine.CancelEffect effect = machine.cancel(id, "token-" + id, random.nextInt(4) == 0);
    if (effect == QueueMachine.CancelEffect.CANCELLED) {
      assertTrue(model.get(id) == Expected.QUEUED || model.get(id) == Expected.PAUSED, at("only a waiting task ends on cancel"));
      model.put(id, Expected.FINISHED);
    } else if (random.nextBoolean()) {
      assertTrue(machine.cancelTimedOut(id), at("the grace period ends a running task"));
      model.put(id, Expected.FINISHED);
    }
  }

  /** The owner pauses a running task; its translator stops it (or its hand-off fails, and it waits paused). */
  private void pause() {
    String id = any(Expected.RUNNING);
    if (id == null) {
      String other = any(Expected.QUEUED);
      if (other != null) {
        assertConflict(() -> machine.pause(other, "token-" + other), "only a running task can be paused");
      }
      return;
    }
    machine.pause(id, "token-" + id);
    TaskRecord task = machine.find(id);
    if (random.nextBoolean()) {
      assertNotNull(machine.pausedBy(id, task.translator), at("its translator's pause is taken"));
    } else if (task.translator == null) {
      assertTrue(machine.requeue(id));
    } else {
      return; // the translator has not stopped it yet
    }
    assertEquals("paused", task.status(), at(id + " paused"));
    model.put(id, Expected.PAUSED);
  }

  private void resume() {
    String id = any(Expected.PAUSED);
    if (id == null) {
      String other = any(Expected.QUEUED);
      if (other != null) {
        assertConflict(() -> machine.resume(other, "token-" + other), "only a paused task can be resumed");
      }
      return;
    }
    TaskRecord task = machine.resume(id, "token-" + id);
    model.put(id, Expected.QUEUED);
    assertTrue(machine.position(task) > 0, at(id + " resumed into the queue"));
  }

  /** The operator reprioritises a task or pauses (drains) and resumes the queue. */
  private void operator() {
    if (random.nextInt(3) == 0) {
      machine.pauseQueue(!machine.queuePaused());
      return;
    }
    String id = random.nextBoolean() ? any(Expected.QUEUED) : any(Expected.PAUSED);
    if (id != null) {
      String priority = pick(dev.translive.bus.TaskSpec.PRIORITIES);
      machine.reprioritize(id, priority);
      assertEquals(priority, machine.find(id).priority);
    }
  }

  private void assertConflict(Runnable action, String why) {
    try {
      action.run();
    } catch (TransliveException e) {
      assertEquals(409, e.code().status(), at(why));
      return;
    }
    throw new AssertionError(at(why));
  }

  private void handOffFails() {
    String id = any(Expected.RUNNING);
    if (id != null && machine.find(id).translator == null) {
      assertTrue(machine.requeue(id));
      if (machine.find(id).paused) {
        model.put(id, Expected.PAUSED); // its owner had asked to pause it
        return;
      }
      model.put(id, Expected.QUEUED);
      assertEquals(1, machine.position(machine.find(id)), at("a task put back goes first"));
    }
  }

  private void heartbeat() {
    String translator = pick(TRANSLATORS);
    List<String> held = new ArrayList<>();
    model.keySet().stream().sorted().filter(id -> random.nextInt(4) == 0).forEach(held::add);
    held.add("unknown-" + step);
    List<String> abandon = machine.heartbeat(new Internal.Heartbeat(translator, held, List.of()));
    for (String id : held) {
      boolean keeps = machine.isRunning(id) && translator.equals(machine.find(id).translator);
      assertEquals(!keeps, abandon.contains(id), at(id + ": exactly one translator runs a task"));
    }
  }

  private void translatorsGoSilent() {
    clock.addAndGet(QueueMachine.TRANSLATOR_LOST_MS + 1);
    for (TaskRecord task : machine.requeueLost()) {
      assertEquals(Expected.RUNNING, model.get(task.id()));
      assertTrue(task.resumed);
      model.put(task.id(), task.paused ? Expected.PAUSED : Expected.QUEUED);
    }
    assertEquals(0, machine.running().size(), at("every silent task went back"));
  }

  /** The process dies: a new machine restores from what the store would hold. */
  private void restart() {
    List<Store.StoredTask> finished = new ArrayList<>();
    List<Store.StoredTask> unfinished = new ArrayList<>();
    for (TaskRecord t : machine.tasks()) {
      Store.StoredTask row = new Store.StoredTask(t.id(), t.number, HexFormat.of().formatHex(t.tokenHash), t.spec.toJson(),
          t.storedStatus(), t.storedStage(), t.progress, t.error, t.message, t.createdAt, t.startedAt, t.finishedAt);
      (t.finished() ? finished : unfinished).add(row);
    }
    finished.sort(Comparator.comparing(Store.StoredTask::finishedAt));
    unfinished.sort(Comparator.comparingLong(Store.StoredTask::queueNo));
    machine = newMachine();
    machine.numberedUpTo(numbers.stream().mapToLong(Long::longValue).max().orElse(0));
    finished.forEach(row -> machine.restore(row, clustered));
    unfinished.forEach(row -> machine.restore(row, clustered));
    machine.pauseQueue(false); // the operator's draining lasts until a restart
    if (!clustered) {
      model.replaceAll((id, e) -> e == Expected.RUNNING ? Expected.QUEUED : e);
    }
    model.keySet().removeIf(id -> model.get(id) == Expected.FINISHED && !known(id));
  }

  private void checkInvariants() {
    assertTrue(machine.running().size() <= CONCURRENCY, at("more running than slots"));
    List<TaskRecord> queued = machine.queuedHead(Integer.MAX_VALUE);
    assertEquals(machine.queuedCount(), queued.size());
    for (int i = 0; i < queued.size(); i++) {
      assertEquals(i + 1, machine.position(queued.get(i)), at("positions are 1..n"));
    }
    QueueMachine.Ranges ranges = machine.queueNoRanges(QueueViews.MAX_QUEUE_NO_RANGES);
    if (ranges.complete()) {
      for (int i = 0; i < queued.size(); i++) {
        long mine = queued.get(i).number;
        long below = ranges.ranges().stream().mapToLong(r -> Math.max(0, Math.min(r[1], mine - 1) - r[0] + 1)).sum();
        assertEquals(i, below, at("a client's place from the queue-number ranges is its real place"));
      }
    }
    int finishedKnown = 0;
    for (Map.Entry<String, Expected> e : model.entrySet()) {
      String id = e.getKey();
      switch (e.getValue()) {
        case QUEUED -> {
          assertNotNull(machine.find(id), at("lost " + id));
          assertTrue(queued.contains(machine.find(id)), at(id + " is not in the queue"));
          assertFalse(machine.isRunning(id));
        }
        case RUNNING -> {
          assertTrue(machine.isRunning(id), at(id + " should run"));
          assertEquals(0, machine.position(machine.find(id)));
        }
        case PAUSED -> {
          assertEquals("paused", machine.find(id).status(), at(id + " should be paused"));
          assertEquals(0, machine.position(machine.find(id)), at("a paused task has no position"));
          assertFalse(machine.isRunning(id));
        }
        case FINISHED -> {
          if (known(id)) {
            assertTrue(machine.find(id).finished(), at(id + " should have ended"));
            finishedKnown++;
          }
        }
      }
    }
    assertTrue(finishedKnown <= KEPT, at("finished tasks kept beyond the bound"));
    long open = model.values().stream().filter(e -> e == Expected.QUEUED || e == Expected.RUNNING).count();
    assertEquals(open, queued.size() + machine.running().size(), at("a task is in no place or in two"));
  }

  private boolean known(String id) {
    try {
      machine.find(id);
      return true;
    } catch (TransliveException e) {
      return false;
    }
  }

  private String any(Expected state) {
    List<String> ids = model.entrySet().stream().filter(e -> e.getValue() == state).map(Map.Entry::getKey).sorted().toList();
    return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  private String at(String what) {
    return what + " (seed " + seed + ", step " + step + ")";
  }

}
