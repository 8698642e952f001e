package dev.translive.progress;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The server API for an application's own long tasks, with the four calls of the original
 * broadcaster: {@link #startTask}, {@link #updateProgress}, {@link #completeTask} and
 * {@link #updateQueue}. Messages go out on the bridge's addresses in the contract's JSON, with
 * {@code seq}; the broadcaster answers snapshot requests with the latest state, so a page that
 * connects late sees everything at once. Use it from one verticle (its state is not thread-safe).
 */
public final class ProgressBroadcaster {
  /** Tasks whose latest progress is kept for snapshots; the oldest is dropped beyond this. */
  private static final int MAX_TRACKED_TASKS = 1000;

  private final Vertx vertx;
  private final BridgeOptions addresses;
  private final SeqClock seq;
  private final Map<String, JsonObject> latestProgress = new LinkedHashMap<>();
  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<String, Long> startedAt = new LinkedHashMap<>();
  private JsonObject latestQueue;
  private MessageConsumer<Object> snapshots;

  public ProgressBroadcaster(Vertx vertx, BridgeOptions addresses, SeqClock seq) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.seq = seq;
    this.latestQueue = Messages.queueUpdate(seq.next(), new JsonArray(), new JsonArray(), 0, 1, new JsonArray(), true, 0);
  }

  /** Starts answering the snapshot address. */
  public Future<Void> start() {
    snapshots = vertx.eventBus().consumer(addresses.getSnapshotAddress(), msg -> msg.reply(snapshot()));
    return snapshots.completion();
  }

  /** The latest queue and the latest progress of every running task: what a polling client reads. */
  public JsonObject snapshot() {
    return Messages.snapshot(latestQueue, new JsonArray(List.copyOf(latestProgress.values())));
  }

  public Future<Void> stop() {
    return snapshots == null ? Future.succeededFuture() : snapshots.unregister();
  }

  /** Announces a task; returns its id. */
  public String startTask(String name, int totalSegments) {
    String taskId = "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    names.put(taskId, name);
    startedAt.put(taskId, System.currentTimeMillis());
    trim();
    publishProgress(Messages.taskStarted(seq.next(), taskId, name, totalSegments, false));
    return taskId;
  }

  /**
   * Reports progress; {@code progress} is 0..1 and never published lower than before.
   *
   * @param etaSeconds null when unknown
   */
  public void updateProgress(String taskId, double progress, Stage stage, String description, int completedSegments,
      int totalSegments, Double etaSeconds) {
    JsonObject previous = latestProgress.get(taskId);
    double monotonic = previous == null ? progress : Math.max(progress, previous.getJsonObject("data").getDouble("progress"));
    JsonObject message = Messages.progressUpdate(seq.next(), taskId, new Messages.Progress(names.getOrDefault(taskId, taskId),
        monotonic, stage, description, etaSeconds, completedSegments, totalSegments, totalSegments, 0,
        Math.max(0, totalSegments - completedSegments)));
    latestProgress.put(taskId, message);
    trim();
    publishProgress(message);
  }

  /** Ends a task: completed when {@code success}, else failed, with the message shown to users. */
  public void completeTask(String taskId, boolean success, String message) {
    Long started = startedAt.remove(taskId);
    double seconds = started == null ? 0 : (System.currentTimeMillis() - started) / 1000.0;
    latestProgress.remove(taskId);
    publishProgress(Messages.taskCompleted(seq.next(), taskId, names.getOrDefault(taskId, taskId),
        success ? Stage.COMPLETED : Stage.FAILED, message, seconds));
    names.remove(taskId);
  }

  /** A queue entry for {@link #updateQueue}: a running task, or a waiting one with its estimated wait. */
  public record QueueEntry(String taskId, String name, double progress, Double seconds) {}

  /** Publishes the queue: what runs now and what waits, in order. */
  public void updateQueue(List<QueueEntry> running, List<QueueEntry> waiting) {
    JsonArray runningJson = new JsonArray();
    running.forEach(r -> runningJson.add(Messages.runningEntry(r.taskId(), r.name(), r.progress(), r.seconds(), Stage.TRANSLATING)));
    JsonArray queuedJson = new JsonArray();
    for (int i = 0; i < waiting.size(); i++) {
      QueueEntry q = waiting.get(i);
      queuedJson.add(Messages.queuedEntry(q.taskId(), q.name(), i + 1, q.seconds() == null ? 0 : q.seconds(), i + 1));
    }
    JsonArray ranges = waiting.isEmpty() ? new JsonArray() : new JsonArray().add(new JsonArray().add(1).add(waiting.size()));
    latestQueue = Messages.queueUpdate(seq.next(), runningJson, queuedJson, waiting.size(), Math.max(1, running.size()),
        ranges, true, 0);
    vertx.eventBus().publish(addresses.getQueueAddress(), latestQueue);
  }

  private void publishProgress(JsonObject message) {
    vertx.eventBus().publish(addresses.getProgressAddress(), message);
  }

  private void trim() {
    while (latestProgress.size() > MAX_TRACKED_TASKS) {
      latestProgress.remove(latestProgress.keySet().iterator().next());
    }
    while (names.size() > MAX_TRACKED_TASKS) {
      String oldest = names.keySet().iterator().next();
      names.remove(oldest);
      startedAt.remove(oldest);
    }
  }
}
