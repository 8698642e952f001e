package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.bus.Addresses;
import dev.translive.config.AppConfig;
import dev.translive.ops.ServiceMetrics;
import dev.translive.progress.Messages;
import dev.translive.progress.SeqClock;
import dev.translive.progress.Stage;
import dev.translive.store.MemoryBound;
import dev.translive.store.SqliteStore;
import dev.translive.store.Store;
import dev.translive.store.TaskFiles;
import dev.translive.support.TestServer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue owner on the real bus and a real SQLite store, with the translator played by the test:
 * what happens while the owner restores its tasks, and what a progress message can and cannot do.
 */
@ExtendWith(VertxExtension.class)
class QueueOwnerRaceTest {
  private static final String TRANSLATOR = "tr-test";
  @TempDir Path dataDir;
  private Store store;

  @AfterEach
  void close() throws Exception {
    if (store != null) {
      store.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void nothingIsDecidedBeforeTheRestoreEnds(Vertx vertx) throws Exception {
    AppConfig config = TestServer.config(dataDir, Map.of("cluster.enabled", true));
    store = new SqliteStore(vertx, dataDir, MemoryBound.entries(100));
    store.migrate().await(10, TimeUnit.SECONDS);
    long epoch = store.claimNextOwnership().await(10, TimeUnit.SECONDS);
    store.insertTask(row("t-running", 1, "running", Stage.TRANSLATING), epoch).await(10, TimeUnit.SECONDS);
    store.insertTask(row("t-waiting", 2, "queued", Stage.QUEUED), epoch).await(10, TimeUnit.SECONDS);
    List<JsonObject> cancels = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.TRANSLATOR_CANCEL, m -> cancels.add(m.body()))
        .completion().await(5, TimeUnit.SECONDS);
    fakeTranslator(vertx, new CopyOnWriteArrayList<>());
    Promise<Void> restoreMayEnd = Promise.promise();
    Promise<Void> restoring = Promise.promise();

    Future<String> deployed = vertx.deployVerticle(owner(vertx, config, gated(store, restoring, restoreMayEnd.future()), epoch));
    restoring.future().await(10, TimeUnit.SECONDS);
    // A live translator still runs the recovered task and says so while the new owner is restoring.
    vertx.eventBus().publish(Addresses.TRANSLATOR_HEARTBEAT, new JsonObject().put("translator", TRANSLATOR)
        .put("tasks", new JsonArray().add("t-running")).put("unreported", new JsonArray()));
    AsyncResult<Message<JsonObject>> early = settle(vertx.eventBus().request(Addresses.QUEUE_ENQUEUE, spec("t-early").toJson()));
    restoreMayEnd.complete();
    deployed.await(10, TimeUnit.SECONDS);

    assertTrue(early.failed() || early.result().body().getLong("queue_no") > 2,
        "a task submitted during the restore must not take a recovered task's queue number: " + (early.succeeded() ? early.result().body() : ""));
    JsonObject late = vertx.eventBus().<JsonObject>request(Addresses.QUEUE_ENQUEUE, spec("t-late").toJson())
        .await(10, TimeUnit.SECONDS).body();
    assertEquals(early.succeeded() ? 4 : 3, late.getLong("queue_no"), "numbers continue after the recovered tasks");
    assertEquals(early.succeeded() ? 3 : 2, late.getInteger("position"), "and it waits behind the recovered queued task");
    // A round trip through the owner: anything the heartbeat caused has been published by now.
    JsonObject running = vertx.eventBus().<JsonObject>request(Addresses.TASKS_GET, new JsonObject().put("task_id", "t-running"))
        .await(10, TimeUnit.SECONDS).body();
    assertEquals("running", running.getString("status"));
    assertEquals(List.of(), cancels, "the translator that still runs the recovered task is not told to drop it");
  }

  @Test
  void aTerminalStageInAProgressMessageDoesNotEndTheTask(Vertx vertx) throws Exception {
    AppConfig config = TestServer.config(dataDir, Map.of());
    store = new SqliteStore(vertx, dataDir, MemoryBound.entries(100));
    store.migrate().await(10, TimeUnit.SECONDS);
    long epoch = store.claimNextOwnership().await(10, TimeUnit.SECONDS);
    List<String> handedOver = new CopyOnWriteArrayList<>();
    Promise<Void> secondStarted = Promise.promise();
    fakeTranslator(vertx, handedOver).handler(m -> {
      String id = m.body().getJsonObject("spec").getString("taskId");
      handedOver.add(id);
      m.reply(new JsonObject().put("accepted", true).put("translator", TRANSLATOR));
      if (id.equals("t-second")) {
        secondStarted.tryComplete();
      }
    });
    vertx.deployVerticle(owner(vertx, config, store, epoch)).await(10, TimeUnit.SECONDS);
    vertx.eventBus().request(Addresses.QUEUE_ENQUEUE, spec("t-first").toJson()).await(10, TimeUnit.SECONDS);
    vertx.eventBus().request(Addresses.QUEUE_ENQUEUE, spec("t-second").toJson()).await(10, TimeUnit.SECONDS);
    assertEquals(List.of("t-first"), handedOver, "one slot: the second task waits");

    SeqClock seq = new SeqClock();
    JsonObject bogus = Messages.progressUpdate(seq.next(), "t-first", new Messages.Progress("a.txt", 0.5, Stage.TRANSLATING,
        "", 1.0, 1, 2, 2, 0, 1));
    bogus.getJsonObject("data").put("stage", "no-such-stage");
    vertx.eventBus().publish(Addresses.PROGRESS, bogus);
    vertx.eventBus().publish(Addresses.PROGRESS, Messages.progressUpdate(seq.next(), "t-first",
        new Messages.Progress("a.txt", 0.99, Stage.COMPLETED, "", 0.0, 2, 2, 2, 0, 0)));
    JsonObject ack = vertx.eventBus().<JsonObject>request(Addresses.QUEUE_FINISHED, new JsonObject().put("task_id", "t-first")
        .put("status", "completed").put("message", "Translation completed").put("translator", TRANSLATOR)
        .put("translated_segments", 2).put("translate_seconds", 0.1)).await(10, TimeUnit.SECONDS).body();

    assertNotEquals(Boolean.FALSE, ack.getBoolean("accepted"), "only the end report ends a task: " + ack);
    secondStarted.future().await(10, TimeUnit.SECONDS);
    JsonObject first = vertx.eventBus().<JsonObject>request(Addresses.TASKS_GET, new JsonObject().put("task_id", "t-first"))
        .await(10, TimeUnit.SECONDS).body();
    assertEquals("completed", first.getString("status"));
    assertTrue(first.getValue("finished_at") != null, "the end was recorded: " + first);
  }

  private static io.vertx.core.eventbus.MessageConsumer<JsonObject> fakeTranslator(Vertx vertx, List<String> handedOver)
      throws Exception {
    var consumer = vertx.eventBus().<JsonObject>consumer(Addresses.TRANSLATOR_RUN, m -> {
      handedOver.add(m.body().getJsonObject("spec").getString("taskId"));
      m.reply(new JsonObject().put("accepted", true).put("translator", TRANSLATOR));
    });
    consumer.completion().await(5, TimeUnit.SECONDS);
    return consumer;
  }

  private QueueVerticle owner(Vertx vertx, AppConfig config, Store store, long epoch) {
    return new QueueVerticle(config, store, epoch, new Submission(vertx, null, new TaskFiles(vertx, store, dataDir)), new SeqClock(),
        ServiceMetrics.standalone(), () -> {});
  }

  private static <T> AsyncResult<T> settle(Future<T> future) throws Exception {
    return future.transform(Future::succeededFuture).await(10, TimeUnit.SECONDS);
  }

  private TaskSpecRef spec(String id) {
    return new TaskSpecRef(id, dataDir);
  }

  private Store.StoredTask row(String id, long queueNo, String status, Stage stage) {
    return new Store.StoredTask(id, queueNo, "00", spec(id).toJson(), status, stage.wire(), 0.2, null, null,
        System.currentTimeMillis(), "running".equals(status) ? System.currentTimeMillis() : null, null);
  }

  /** The spec of a one-file task whose file the test never needs. */
  private record TaskSpecRef(String id, Path dataDir) {
    JsonObject toJson() {
      return new JsonObject().put("taskId", id).put("filename", id + ".txt")
          .put("storedPath", dataDir.resolve("uploads/" + id + ".txt").toString()).put("format", "txt")
          .put("sourceLang", "en").put("targetLang", "es").put("engine", "demo").put("bilingual", false)
          .put("totalSegments", 2).put("resultPath", dataDir.resolve("results/" + id + ".txt").toString())
          .put("resultFilename", id + ".es.txt").put("nominalSecondsPerSegment", 0.01).put("client", "test");
    }
  }

  /**
   * {@code real}, except that listing unfinished tasks signals {@code asked} and then waits for
   * {@code gate}: the restore is held open.
   */
  static Store gated(Store real, Promise<Void> asked, Future<Void> gate) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (proxy, method, args) -> {
      if (method.getName().equals("unfinishedTasks")) {
        asked.tryComplete();
        return gate.compose(v -> real.unfinishedTasks());
      }
      try {
        return method.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }
}
