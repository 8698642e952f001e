package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.bus.ErrorCode;
import dev.translive.bus.Internal;
import dev.translive.bus.TaskSpec;
import dev.translive.bus.TransliveException;
import dev.translive.progress.Stage;
import dev.translive.store.Store;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The queue's transitions one at a time, on a clock the test moves. */
class QueueMachineTest {
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private QueueMachine machine = machine(1, 10);

  private QueueMachine machine(int concurrency, int maxQueued) {
    return new QueueMachine(new QueueMachine.Settings(concurrency, maxQueued, 3, false, 1.0), clock::get, engine -> null);
  }

  static TaskSpec spec(String id, int segments) {
    return spec(id, segments, "test");
  }

  static TaskSpec spec(String id, int segments, String client) {
    return new TaskSpec(id, id + ".txt", "/data/uploads/" + id + ".txt", "txt", "en", "es", "demo", false, segments,
        "/data/results/" + id + ".txt", id + ".es.txt", 0.5, client);
  }

  private TaskRecord submitStored(String id, int segments) {
    TaskRecord task = machine.submit(spec(id, segments), "token-" + id);
    machine.stored(id);
    return task;
  }

  @Test
  void tasksStartInOrderWhileSlotsAreFreeAndOnlyOnceStored() {
    machine = machine(2, 10);
    TaskRecord a = machine.submit(spec("a", 4), "ta");
    TaskRecord b = submitStored("b", 4);
    TaskRecord c = submitStored("c", 4);
    assertEquals(List.of(), machine.admit(), "a is not stored yet, and nothing overtakes it");
    assertEquals(1, machine.position(a));
    machine.stored("a");
    assertEquals(List.of(a, b), machine.admit());
    assertEquals(List.of(), machine.admit(), "no slot is free");
    assertEquals(1, machine.position(c));
    assertEquals(List.of(1L, 2L, 3L), List.of(a.number, b.number, c.number));
    assertEquals(clock.get(), b.startedAt);
    assertEquals(2.0, b.etaSeconds, "four segments at the nominal half second");
  }

  @Test
  void waitsFollowTheRunningEtasAndTheQueueOrder() {
    TaskRecord a = submitStored("a", 10);
    TaskRecord b = submitStored("b", 4);
    TaskRecord c = submitStored("c", 2);
    machine.admit();
    assertEquals(5.0, a.etaSeconds);
    assertEquals(5.0, machine.waitOf(b));
    assertEquals(7.0, machine.waitOf(c), "behind a (5 s) and b (2 s)");
    assertNull(machine.waitOf(a), "a runs");
    assertEquals(2, machine.position(c));
  }

  @Test
  void aFinalOrUnknownStageInProgressChangesNothingOnlyTheReportEnds() {
    TaskRecord a = submitStored("a", 2);
    machine.admit();
    machine.handedTo("a", "tr-1");
    assertEquals(QueueMachine.ProgressEffect.IGNORED,
        machine.progress(new Internal.ProgressSeen("a", Stage.COMPLETED, 1.0, 2, 2, 0, 0.0), null));
    assertEquals(QueueMachine.ProgressEffect.IGNORED, machine.progress(new Internal.ProgressSeen("a", null, 0.5, 1, 2, 0, 1.0), null));
    assertTrue(machine.isRunning("a"));
    assertEquals(QueueMachine.ProgressEffect.SAVE,
        machine.progress(new Internal.ProgressSeen("a", Stage.TRANSLATING, 0.5, 1, 2, 0, 1.0), "m1"));
    assertEquals(QueueMachine.ProgressEffect.APPLIED,
        machine.progress(new Internal.ProgressSeen("a", Stage.TRANSLATING, 0.4, 1, 2, 0, 1.0), "m2"), "saved at most once a second");
    assertEquals(0.5, a.progress, "progress never goes backwards");
    clock.addAndGet(QueueMachine.PROGRESS_SAVE_INTERVAL_MS + 1);
    assertEquals(QueueMachine.ProgressEffect.SAVE,
        machine.progress(new Internal.ProgressSeen("a", Stage.TRANSLATING, 0.6, 1, 2, 0, 1.0), "m3"));

    QueueMachine.Ending refused = machine.report(new Internal.Report("a", Stage.COMPLETED, "done", null, "tr-2", 2, 1.0));
    assertFalse(refused.accepted(), "another translator's report is refused");
    clock.addAndGet(2_000);
    QueueMachine.Ending ending = machine.report(new Internal.Report("a", Stage.COMPLETED, "done", null, "tr-1", 2, 1.0));
    assertTrue(ending.accepted());
    assertEquals("completed", a.status());
    assertEquals(1.0, a.progress);
    assertEquals(2, a.completedSegments);
    assertNull(a.latestProgress);
    assertFalse(machine.report(new Internal.Report("a", Stage.FAILED, "late", "x", "tr-1", 0, 0)).accepted(), "ended once");
  }

  @Test
  void aLostTranslatorPutsItsTaskBackAtTheFrontAsResumed() {
    machine = machine(1, 10);
    TaskRecord a = submitStored("a", 2);
    TaskRecord b = submitStored("b", 2);
    machine.admit();
    machine.handedTo("a", "tr-1");
    clock.addAndGet(QueueMachine.TRANSLATOR_LOST_MS - 1);
    assertEquals(List.of(), machine.heartbeat(new Internal.Heartbeat("tr-1", List.of("a"), List.of())));
    clock.addAndGet(QueueMachine.TRANSLATOR_LOST_MS - 1);
    assertEquals(List.of(), machine.requeueLost(), "the heartbeat kept it");
    assertEquals(List.of("a"), machine.heartbeat(new Internal.Heartbeat("tr-2", List.of("a"), List.of())),
        "a second translator holding it must drop it");
    clock.addAndGet(QueueMachine.TRANSLATOR_LOST_MS + 1);
    assertEquals(List.of(a), machine.requeueLost());
    assertTrue(a.resumed);
    assertEquals(List.of(a, b), machine.queuedHead(10), "back in front of b");
    assertEquals(List.of(a), machine.admit());
    assertEquals(List.of("x"), machine.heartbeat(new Internal.Heartbeat("tr-1", List.of("x"), List.of())), "unknown here");
  }

  @Test
  void cancelEndsAQueuedTaskAtOnceAndARunningOneWhenConfirmedOrTimedOut() {
    TaskRecord a = submitStored("a", 2);
    TaskRecord b = submitStored("b", 2);
    machine.admit();
    TransliveException wrong = assertThrows(TransliveException.class, () -> machine.cancel("b", "nope"));
    assertEquals(ErrorCode.FORBIDDEN, wrong.code());
    assertEquals(QueueMachine.CancelEffect.CANCELLED, machine.cancel("b", "token-b"));
    assertEquals("cancelled", b.status());
    assertEquals(0, machine.queuedCount());
    assertEquals(QueueMachine.CancelEffect.ASK_TRANSLATOR, machine.cancel("a", "token-a"));
    assertEquals(QueueMachine.CancelEffect.ALREADY_CANCELLING, machine.cancel("a", "token-a"));
    assertTrue(machine.cancelTimedOut("a"));
    assertEquals("cancelled", a.status());
    assertFalse(machine.cancelTimedOut("a"));
    assertEquals(ErrorCode.CONFLICT, assertThrows(TransliveException.class, () -> machine.cancel("a", "token-a")).code());
  }

  @Test
  void theQueueRefusesWhenFullAndAWithdrawnTaskLeavesItsNumberUsed() {
    machine = machine(0, 2);
    machine.submit(spec("a", 1), "t");
    machine.submit(spec("b", 1), "t");
    assertEquals(ErrorCode.QUEUE_FULL, assertThrows(TransliveException.class, () -> machine.submit(spec("c", 1), "t")).code());
    machine.withdraw("b");
    assertEquals(3, machine.submit(spec("c", 1), "t").number);
    assertEquals(ErrorCode.NOT_FOUND, assertThrows(TransliveException.class, () -> machine.find("b")).code());
  }

  @Test
  void restoredTasksKeepTheirNumbersAndOrderAndNewOnesFollow() {
    machine.restore(row("done", 1, "completed", Stage.COMPLETED), false);
    machine.restore(row("was-running", 2, "running", Stage.TRANSLATING), false);
    machine.restore(row("waiting", 3, "queued", Stage.QUEUED), false);
    TaskRecord next = submitStored("new", 1);
    assertEquals(4, next.number);
    assertEquals(List.of("was-running", "waiting", "new"), machine.queuedHead(10).stream().map(TaskRecord::id).toList());
    assertTrue(machine.find("was-running").resumed);
    assertEquals("completed", machine.find("done").status());

    QueueMachine clustered = machine(1, 10);
    clustered.restore(row("r", 5, "running", Stage.COMPLETED), true);
    assertTrue(clustered.isRunning("r"), "in a cluster its translator may still run it");
    assertEquals(Stage.EXTRACTING, clustered.find("r").stage, "a final stage in a running row is not believed");
    assertEquals(List.of(), clustered.heartbeat(new Internal.Heartbeat("tr-9", List.of("r"), List.of())));
  }

  @Test
  void queueNumberRangesFollowTheDispatchOrderAndAreCut() {
    machine = machine(0, 100);
    for (String id : List.of("a", "b", "c", "d", "e", "f")) {
      submitStored(id, 1);
    }
    machine.cancel("b", "token-b");
    machine.cancel("d", "token-d");
    QueueMachine.Ranges ranges = machine.queueNoRanges(64);
    assertTrue(ranges.complete());
    assertEquals("[1, 1] [3, 3] [5, 6]", ranges.ranges().stream().map(r -> "[" + r[0] + ", " + r[1] + "]")
        .reduce((x, y) -> x + " " + y).orElse(""));
    QueueMachine.Ranges cut = machine.queueNoRanges(1);
    assertFalse(cut.complete(), "three ranges do not fit in one (plus the last, as always)");
    assertEquals(1, cut.ranges().size());
  }

  @Test
  void onlyTheNewestFinishedTasksAreKept() {
    machine = machine(0, 100);
    for (int i = 0; i < 5; i++) {
      submitStored("t" + i, 1);
      machine.cancel("t" + i, "token-t" + i);
    }
    assertEquals(List.of("t2", "t3", "t4"), machine.tasks().stream().map(TaskRecord::id).toList());
  }

  @Test
  void oneSubmitterHoldsNoMoreThanItsShareOfTheQueue() {
    machine = new QueueMachine(new QueueMachine.Settings(0, 10, 3, false, 1.0, 2, 0, false), clock::get, engine -> null);
    machine.submit(spec("a", 1), "t");
    machine.submit(spec("b", 1), "t");
    TransliveException refused = assertThrows(TransliveException.class, () -> machine.submit(spec("c", 1), "t"));
    assertEquals(ErrorCode.TOO_MANY, refused.code());
    TaskSpec other = new TaskSpec("d", "d.txt", "/d", "txt", "en", "es", "demo", false, 1, "/r", "d.es.txt", 0.5, "other");
    assertEquals(3, machine.submit(other, "t").number, "another submitter still gets in");
    for (String id : List.of("s1", "s2", "s3")) {
      machine.submit(spec(id, 1, TaskSpec.UNNAMED_SERVICE), "t");
    }
    assertEquals(6, machine.queuedCount(), "services that name no submitter are bounded by maxQueued only");
  }

  @Test
  void aTaskRunningLongerThanAllowedFailsWithTheReason() {
    machine = new QueueMachine(new QueueMachine.Settings(1, 10, 3, false, 1.0, 0, 60, false), clock::get, engine -> null);
    TaskRecord a = submitStored("a", 1);
    machine.admit();
    clock.addAndGet(60_000);
    assertEquals(List.of(), machine.stopOverdue());
    clock.addAndGet(1);
    assertEquals(List.of(a), machine.stopOverdue());
    assertEquals("failed", a.status());
    assertTrue(a.error.contains("60 s") && a.error.contains("task.maxRunSeconds"), a.error);
    assertFalse(machine.isRunning("a"));
  }

  @Test
  void fairShareTakesSubmittersInTurnAndTheViewsFollow() {
    machine = new QueueMachine(new QueueMachine.Settings(1, 100, 3, false, 1.0, 0, 0, true), clock::get, engine -> null);
    List<TaskRecord> a = List.of(submitFor("a1", "alice"), submitFor("a2", "alice"), submitFor("a3", "alice"));
    TaskRecord b1 = submitFor("b1", "bob");
    assertEquals(List.of(a.get(0), b1, a.get(1), a.get(2)), machine.queuedHead(10), "one of each, then the rest");
    assertEquals(2, machine.position(b1), "bob's one file waits behind one of alice's, not three");
    assertEquals(List.of(a.get(0)), machine.admit());
    assertEquals(List.of(b1, a.get(1), a.get(2)), machine.queuedHead(10));
    assertFalse(machine.queueNoRanges(64).complete(), "numbers do not give the order, so clients use the head");
    machine.report(new Internal.Report("a1", Stage.COMPLETED, "done", null, null, 1, 1.0));
    assertEquals(List.of(b1), machine.admit(), "bob's turn");
    machine.requeue("b1");
    assertEquals(1, machine.position(b1), "a task put back goes first");
  }

  @Test
  void aSecondSubmitterArrivingWhileTheFirstRunsStartsBeforeTheFirstOnesSecondFile() {
    machine = new QueueMachine(new QueueMachine.Settings(1, 100, 3, false, 1.0, 0, 0, true), clock::get, engine -> null);
    TaskRecord a1 = submitFor("a1", "alice");
    assertEquals(List.of(a1), machine.admit());
    TaskRecord a2 = submitFor("a2", "alice");
    TaskRecord a3 = submitFor("a3", "alice");
    TaskRecord b1 = submitFor("b1", "bob");
    assertEquals(List.of(b1, a2, a3), machine.queuedHead(10), "alice already had a turn; bob has not");
    machine.report(new Internal.Report("a1", Stage.COMPLETED, "done", null, null, 1, 1.0));
    assertEquals(List.of(b1), machine.admit());
    machine.report(new Internal.Report("b1", Stage.COMPLETED, "done", null, null, 1, 1.0));
    TaskRecord b2 = submitFor("b2", "bob");
    assertEquals(List.of(a2, b2, a3), machine.queuedHead(10), "coming back earns no credit for the time away");
  }

  @Test
  void priorityOrdersGroupsFirstAndTheOperatorCanChangeIt() {
    machine = new QueueMachine(new QueueMachine.Settings(1, 100, 3, false, 1.0, 0, 0, true), clock::get, engine -> null);
    TaskRecord low = submitWith("l1", "alice", "low");
    TaskRecord normal = submitWith("n1", "bob", "normal");
    TaskRecord high = submitWith("h1", "carol", "high");
    assertEquals(List.of(high, normal, low), machine.queuedHead(10));
    machine.reprioritize("l1", "high");
    assertEquals(List.of(high, low, normal), machine.queuedHead(10), "a new priority moves it, behind the earlier high task");
    assertEquals(3, machine.position(normal));
    assertFalse(machine.queueNoRanges(64).complete());
  }

  @Test
  void fifoAlsoHonoursPriorityAndThenStopsSendingQueueNumbers() {
    TaskRecord first = submitWith("a", "x", "normal");
    TaskRecord urgent = submitWith("b", "x", "high");
    assertEquals(List.of(urgent, first), machine.queuedHead(10));
    assertFalse(machine.queueNoRanges(64).complete(), "numbers no longer give the order");
  }

  @Test
  void pauseStopsARunningTaskWhichResumesAtItsOldPlace() {
    TaskRecord a = submitStored("a", 10);
    TaskRecord b = submitStored("b", 10);
    TaskRecord c = submitStored("c", 10);
    assertEquals(List.of(a), machine.admit());
    machine.handedTo("a", "tr-1");
    machine.progress(new Internal.ProgressSeen("a", Stage.TRANSLATING, 0.4, 4, 10, 0, 6.0), "m");
    assertThrows(TransliveException.class, () -> machine.pause("b", "token-b"), "only a running task pauses");
    assertThrows(TransliveException.class, () -> machine.pause("a", "wrong"));
    assertTrue(machine.pause("a", "token-a"));
    assertFalse(machine.pause("a", "token-a"), "already asked");
    assertEquals(null, machine.pausedBy("a", "tr-other"), "only its translator stops it");
    assertEquals(a, machine.pausedBy("a", "tr-1"));
    assertEquals("paused", a.status());
    assertEquals(0.4, a.progress, "its progress stays");
    assertEquals(0, machine.position(a));
    assertEquals(List.of(b), machine.admit(), "its slot goes to the next task");
    TransliveException notPaused = assertThrows(TransliveException.class, () -> machine.resume("c", "token-c"));
    assertEquals(ErrorCode.CONFLICT, notPaused.code());
    machine.resume("a", "token-a");
    assertEquals(List.of(a, c), machine.queuedHead(10), "back ahead of the task that came after it");
    assertEquals("queued", a.status());
  }

  @Test
  void aPausedTaskStaysPausedAcrossARestartAndCanBeCancelled() {
    TaskRecord a = submitStored("a", 10);
    machine.admit();
    machine.pause("a", "token-a");
    machine.pausedBy("a", null);
    Store.StoredTask stored = new Store.StoredTask("a", a.number, HexFormat.of().formatHex(a.tokenHash), a.spec.toJson(),
        a.storedStatus(), a.storedStage(), 0.5, null, null, a.createdAt, a.startedAt, null);
    assertEquals("queued", stored.status(), "stores keep it among the unfinished");
    machine = machine(1, 10);
    TaskRecord restored = machine.restore(stored, false);
    assertEquals("paused", restored.status());
    assertEquals(List.of(), machine.admit(), "a paused task does not start by itself");
    assertEquals(QueueMachine.CancelEffect.CANCELLED, machine.cancel("a", "token-a"));
  }

  @Test
  void aDrainedQueueStartsNothingUntilResumed() {
    TaskRecord a = submitStored("a", 10);
    machine.pauseQueue(true);
    assertEquals(List.of(), machine.admit());
    assertEquals(1, machine.position(a));
    machine.pauseQueue(false);
    assertEquals(List.of(a), machine.admit());
  }

  private TaskRecord submitWith(String id, String client, String priority) {
    TaskSpec base = spec(id, 2, client);
    TaskSpec spec = new TaskSpec(base.taskId(), base.filename(), base.storedPath(), base.format(), base.sourceLang(),
        base.targetLang(), base.engine(), false, 2, base.resultPath(), base.resultFilename(), 0.5, client, priority);
    TaskRecord task = machine.submit(spec, "token-" + id);
    machine.stored(id);
    return task;
  }

  private TaskRecord submitFor(String id, String client) {
    TaskRecord task = machine.submit(spec(id, 2, client), "token-" + id);
    machine.stored(id);
    return task;
  }

  static Store.StoredTask row(String id, long queueNo, String status, Stage stage) {
    return new Store.StoredTask(id, queueNo, HexFormat.of().formatHex(QueueMachine.sha256("token-" + id)),
        spec(id, 2).toJson(), status, stage.wire(), 0.3, null, null, 1000, "queued".equals(status) ? null : 2000L,
        stage.terminal() ? 3000L : null);
  }
}
