package dev.translive.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.store.Store.StoredTask;
import dev.translive.store.Store.TranslationKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link Store} must do, run against each real database. A subclass supplies stores on
 * an empty database of its own for each test.
 */
@ExtendWith(VertxExtension.class)
abstract class StoreContractTest {
  static final long MEMORY_BOUND = 10;
  static final TranslationKey KEY = new TranslationKey("demo", "m1", "en", "es", "");

  Vertx vertx;
  Store store;
  private final List<Store> opened = new ArrayList<>();

  /** A store on this test's database (the same database on every call within one test); not yet migrated. */
  abstract Store openStore(Vertx vertx, MemoryBound bound) throws Exception;

  @BeforeEach
  void migrateFreshStore(Vertx vertx) throws Exception {
    this.vertx = vertx;
    store = open();
    await(store.migrate());
  }

  @AfterEach
  void closeStores() {
    for (Store s : opened) {
      await(s.close());
    }
  }

  private Store open() throws Exception {
    return open(MemoryBound.entries(MEMORY_BOUND));
  }

  private Store open(MemoryBound bound) throws Exception {
    Store s = openStore(vertx, bound);
    opened.add(s);
    return s;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("store call did not complete", e);
    }
  }

  /** The failure of {@code future}, which must fail. */
  static Throwable failureOf(Future<?> future) {
    return assertThrows(CompletionException.class, () -> await(future)).getCause();
  }

  static StoredTask queuedTask(String id, long queueNo) {
    return new StoredTask(id, queueNo, "ab" + id, new JsonObject().put("task_id", id).put("filename", id + ".txt"),
        "queued", "queued", 0, null, null, 1_000 + queueNo, null, null);
  }

  private void finish(String id, long finishedAt, long epoch) {
    await(store.updateTask(id, "completed", "completed", 1.0, null, "done", finishedAt - 10, finishedAt, epoch));
  }

  private static List<String> ids(List<StoredTask> tasks) {
    return tasks.stream().map(StoredTask::taskId).toList();
  }

  // ---- schema ----------------------------------------------------------------------------

  @Test
  void migratingAgainChangesNothingAndKeepsTheData() throws Exception {
    long epoch = await(store.claimNextOwnership());
    await(store.insertTask(queuedTask("t1", 1), epoch));
    await(store.putFile("upload/t1", Buffer.buffer("hello")));

    await(store.migrate());
    Store restarted = open();
    await(restarted.migrate());

    assertEquals(List.of("t1"), ids(await(restarted.unfinishedTasks())));
    assertEquals("hello", await(restarted.getFile("upload/t1")).toString());
    assertEquals(epoch, await(restarted.claimOwnership(0)), "queue_owner still has its one row");
  }

  // ---- tasks -----------------------------------------------------------------------------

  @Test
  void aQueueNumberIsNeverStoredTwice() {
    long epoch = await(store.claimNextOwnership());
    await(store.insertTask(queuedTask("t1", 7), epoch));
    failureOf(store.insertTask(queuedTask("t2", 7), epoch));
    assertEquals(List.of("t1"), ids(await(store.unfinishedTasks())), "the second task with number 7 was refused");
  }

  @Test
  void aTaskIsReadByItsIdAndTheHighestNumberIsKnown() {
    assertEquals(0, await(store.highestQueueNo()));
    long epoch = await(store.claimNextOwnership());
    await(store.insertTask(queuedTask("t1", 4), epoch));
    await(store.insertTask(queuedTask("t2", 9), epoch));
    finish("t2", 5_000, epoch);
    StoredTask read = await(store.task("t2"));
    assertEquals(9, read.queueNo());
    assertEquals("completed", read.status());
    assertEquals(null, await(store.task("t-none")));
    assertEquals(9, await(store.highestQueueNo()));
  }

  @Test
  void tasksComeBackInQueueOrderAndFinishedOnesOldestFirst() {
    long epoch = await(store.claimNextOwnership());
    for (long no : new long[] {3, 1, 4, 2, 5}) {
      await(store.insertTask(queuedTask("t" + no, no), epoch));
    }
    StoredTask stored = await(store.unfinishedTasks()).get(0);
    assertEquals(queuedTask("t1", 1), stored, "every field survives the round trip");
    assertEquals(List.of("t1", "t2", "t3", "t4", "t5"), ids(await(store.unfinishedTasks())));

    await(store.updateTask("t2", "running", "translating", 0.5, null, "half", 2_000L, null, epoch));
    finish("t4", 5_000, epoch);
    finish("t1", 3_000, epoch);
    await(store.updateTask("t5", "failed", "failed", 0.2, "engine down", "Failed", 2_500L, 4_000L, epoch));

    assertEquals(List.of("t2", "t3"), ids(await(store.unfinishedTasks())));
    StoredTask running = await(store.unfinishedTasks()).get(0);
    assertEquals("running", running.status());
    assertEquals(0.5, running.progress());
    assertEquals(2_000L, running.startedAt());
    assertEquals(null, running.finishedAt());
    assertEquals(List.of("t1", "t5", "t4"), ids(await(store.recentFinishedTasks(10))));
    assertEquals(List.of("t5", "t4"), ids(await(store.recentFinishedTasks(2))), "the newest, oldest first");
    StoredTask failed = await(store.recentFinishedTasks(2)).get(0);
    assertEquals("engine down", failed.error());
    assertEquals(4_000L, failed.finishedAt());

    List<StoredTask> expired = await(store.deleteFinishedBefore(4_500, epoch));
    assertEquals(List.of("t1", "t5"), ids(expired).stream().sorted().toList());
    assertEquals(List.of("t4"), ids(await(store.recentFinishedTasks(10))));
    assertEquals(List.of("t2", "t3"), ids(await(store.unfinishedTasks())), "unfinished tasks are never expired");
  }

  @Test
  void ownerWritesFiredWithoutWaitingApplyInCallOrder() {
    long epoch = await(store.claimNextOwnership());
    await(store.insertTask(queuedTask("t1", 1), epoch));
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      writes.add(store.updateTask("t1", "running", "translating", i / 40.0, null, "step " + i, 1L, null, epoch));
    }
    await(Future.all(writes));
    StoredTask last = await(store.unfinishedTasks()).get(0);
    assertEquals("step 40", last.message());
    assertEquals(1.0, last.progress());
  }

  // ---- history ---------------------------------------------------------------------------

  @Test
  void historyKeepsTheNewestAndListsThemNewestFirst() {
    long epoch = await(store.claimNextOwnership());
    for (int i = 1; i <= 5; i++) {
      await(store.addHistory("t" + i, i * 1_000L, new JsonObject().put("task_id", "t" + i), 3, epoch));
    }
    assertEquals(List.of("t5", "t4", "t3"), historyIds(10));
    assertEquals(List.of("t5", "t4"), historyIds(2));

    await(store.addHistory("t3", 9_000L, new JsonObject().put("task_id", "t3").put("again", true), 3, epoch));
    assertEquals(List.of("t3", "t5", "t4"), historyIds(10), "re-adding a task replaces its entry");
    assertEquals(true, await(store.history(1)).getJsonObject(0).getBoolean("again"));
  }

  private List<String> historyIds(int limit) {
    JsonArray entries = await(store.history(limit));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      out.add(entries.getJsonObject(i).getString("task_id"));
    }
    return out;
  }

  // ---- translation memory ----------------------------------------------------------------

  @Test
  void memoryRecallsWhatWasRememberedForTheSameKeyOnly() {
    await(store.remember(KEY, Map.of("Hello.", "Hola.", "Bye.", "Adiós.")));
    assertEquals(Map.of("Hello.", "Hola."), await(store.recall(KEY, List.of("Hello.", "Unknown."))));
    assertEquals(Map.of(), await(store.recall(new TranslationKey("demo", "m2", "en", "es", ""), List.of("Hello."))));
    assertEquals(Map.of(), await(store.recall(KEY, List.of())));

    await(store.remember(KEY, Map.of("Hello.", "¡Hola!")));
    assertEquals(Map.of("Hello.", "¡Hola!", "Bye.", "Adiós."), await(store.recall(KEY, List.of("Hello.", "Bye.", "Hello."))));
    assertEquals(2L, await(store.memorySize()));
  }

  @Test
  void memoryEvictsTheLeastRecentlyUsedBeyondItsBound() throws Exception {
    Map<String, String> older = batch("old", 5);
    Map<String, String> used = batch("used", 5);
    Map<String, String> newest = batch("new", 3);
    await(store.remember(KEY, used));
    Thread.sleep(5);
    await(store.remember(KEY, older));
    Thread.sleep(5);
    assertEquals(used, await(store.recall(KEY, new ArrayList<>(used.keySet()))), "recall marks these as used");
    Thread.sleep(5);
    await(store.remember(KEY, newest));

    // 13 entries over a bound of 10: the 3 beyond it and a tenth of the bound (1) go, all from "old".
    assertEquals(MEMORY_BOUND - 1, await(store.memorySize()));
    assertEquals(used, await(store.recall(KEY, new ArrayList<>(used.keySet()))));
    assertEquals(newest, await(store.recall(KEY, new ArrayList<>(newest.keySet()))));
    assertEquals(1, await(store.recall(KEY, new ArrayList<>(older.keySet()))).size());
  }

  @Test
  void memoryEvictsTheLeastRecentlyUsedBeyondItsBytes() throws Exception {
    Store bounded = open(new MemoryBound(1000, 400));
    await(bounded.migrate());
    Map<String, String> older = batch("old", 3);
    Map<String, String> newer = batch("new", 3);
    await(bounded.remember(KEY, older));
    Thread.sleep(5);
    await(bounded.remember(KEY, newer));
    // Six entries of about 40 bytes each pass 400 bytes only with a seventh of 200.
    assertEquals(6, await(bounded.memorySize()), "within both bounds nothing goes");
    Thread.sleep(5);
    await(bounded.remember(KEY, Map.of("long " + "x".repeat(100) + ".", "largo " + "x".repeat(100) + ".")));
    // Over 400 bytes: the least recently used go until the memory is at most 360 bytes.
    assertTrue(await(bounded.recall(KEY, new ArrayList<>(older.keySet()))).size() < 3, "old entries were dropped");
    assertEquals(newer, await(bounded.recall(KEY, new ArrayList<>(newer.keySet()))), "the newest stay");
  }

  @Test
  void aTranslationLeavesTheMemoryWithTheLastTaskItCameFromOrServed() {
    long epoch = await(store.claimNextOwnership());
    for (String id : List.of("t1", "t2", "t3")) {
      await(store.insertTask(queuedTask(id, Long.parseLong(id.substring(1))), epoch));
    }
    await(store.remember(KEY, "t1", Map.of("Only in one.", "Solo en una.")));
    await(store.remember(KEY, "t2", Map.of("Shared.", "Compartida.")));
    await(store.remember(KEY, Map.of("No task.", "Sin tarea.")));
    assertEquals(Map.of("Shared.", "Compartida."), await(store.recall(KEY, "t3", List.of("Shared."))), "t3 reuses it");
    finish("t1", 1_000, epoch);
    finish("t2", 1_000, epoch);
    finish("t3", 9_000, epoch);

    assertEquals(List.of("t1", "t2"), ids(await(store.deleteFinishedBefore(5_000, epoch))));
    assertEquals(Map.of(), await(store.recall(KEY, List.of("Only in one."))), "its only task expired");
    assertEquals(Map.of("Shared.", "Compartida."), await(store.recall(KEY, List.of("Shared."))), "t3 still uses it");
    await(store.deleteFinishedBefore(10_000, epoch));
    assertEquals(Map.of(), await(store.recall(KEY, List.of("Shared."))), "gone with the last task that used it");
    assertEquals(Map.of("No task.", "Sin tarea."), await(store.recall(KEY, List.of("No task."))), "no task: only the bounds apply");
  }

  private static Map<String, String> batch(String prefix, int size) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      out.put(prefix + " segment " + i + ".", prefix + " traducción " + i + ".");
    }
    return out;
  }

  // ---- files -----------------------------------------------------------------------------

  @Test
  void filesArePutReplacedReadAndDeleted() {
    await(store.putFile("upload/a", Buffer.buffer("first")));
    assertEquals("first", await(store.getFile("upload/a")).toString());
    await(store.putFile("upload/a", Buffer.buffer("second, longer")));
    assertEquals("second, longer", await(store.getFile("upload/a")).toString());
    await(store.putFile("upload/empty", Buffer.buffer()));
    assertEquals(0, await(store.getFile("upload/empty")).length());

    await(store.deleteFile("upload/a"));
    Throwable missing = failureOf(store.getFile("upload/a"));
    assertInstanceOf(NoSuchFileException.class, missing);
    assertTrue(missing.getMessage().contains("upload/a"), missing.getMessage());
    await(store.deleteFile("upload/a"));
  }

  @Test
  void aFiveMegabyteBinaryFileRoundTripsByteForByte() {
    byte[] content = new byte[5 * 1024 * 1024];
    new Random(42).nextBytes(content);
    await(store.putFile("result/big.bin", Buffer.buffer(content)));
    assertArrayEquals(content, await(store.getFile("result/big.bin")).getBytes());
  }

  // ---- ownership and fencing -------------------------------------------------------------

  @Test
  void aHigherEpochClaimWinsAndALowerOneLoses() {
    assertEquals(2L, await(store.claimOwnership(2)));
    assertEquals(2L, await(store.claimOwnership(1)), "a lower claim leaves the owner in place");
    assertEquals(5L, await(store.claimOwnership(5)));
    assertEquals(6L, await(store.claimNextOwnership()));
    assertEquals(7L, await(store.claimNextOwnership()), "every take-over gets an epoch of its own");
  }

  @Test
  void concurrentTakeOversFromTwoNodesEachGetAnEpochOfTheirOwn() throws Exception {
    Store otherNode = open();
    await(otherNode.migrate());
    List<Future<Long>> claims = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      claims.add((i % 2 == 0 ? store : otherNode).claimNextOwnership());
    }
    await(Future.all(claims));
    assertEquals(20, claims.stream().map(Future::result).distinct().count());
    assertEquals(20L, await(store.claimOwnership(0)));
  }

  @Test
  void writesOfASupersededOwnerFailAndChangeNothing() {
    assertEquals(1L, await(store.claimOwnership(1)));
    await(store.insertTask(queuedTask("t1", 1), 1));
    await(store.insertTask(queuedTask("t2", 2), 1));
    finish("t2", 2_000, 1);
    await(store.addHistory("t2", 2_000, new JsonObject().put("task_id", "t2"), 10, 1));

    assertEquals(2L, await(store.claimOwnership(2)));

    assertFenced(store.insertTask(queuedTask("t3", 3), 1));
    assertFenced(store.updateTask("t1", "running", "translating", 0.5, null, null, 5L, null, 1));
    assertFenced(store.addHistory("t1", 3_000, new JsonObject().put("task_id", "t1"), 10, 1));
    assertFenced(store.deleteFinishedBefore(Long.MAX_VALUE, 1));
    assertEquals(List.of("t1"), ids(await(store.unfinishedTasks())));
    assertEquals("queued", await(store.unfinishedTasks()).get(0).status());
    assertEquals(List.of("t2"), ids(await(store.recentFinishedTasks(10))));
    assertEquals(List.of("t2"), historyIds(10));

    await(store.insertTask(queuedTask("t3", 3), 2));
    await(store.updateTask("t1", "running", "translating", 0.5, null, null, 5L, null, 2));
    await(store.addHistory("t1", 3_000, new JsonObject().put("task_id", "t1"), 10, 2));
    assertEquals(List.of("t2"), ids(await(store.deleteFinishedBefore(Long.MAX_VALUE, 2))));
    assertEquals(List.of("t1", "t3"), ids(await(store.unfinishedTasks())));
    assertEquals("running", await(store.unfinishedTasks()).get(0).status());
    assertEquals(List.of("t1", "t2"), historyIds(10));
  }

  private static void assertFenced(Future<?> write) {
    FencedException fenced = assertInstanceOf(FencedException.class, failureOf(write));
    assertEquals(1, fenced.epoch());
    assertEquals(2, fenced.currentEpoch());
    assertEquals("queue owner epoch 1 was superseded by 2", fenced.getMessage());
  }
}
