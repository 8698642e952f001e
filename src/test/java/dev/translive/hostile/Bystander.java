package dev.translive.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Another client, at 127.0.0.1, while an attack runs from elsewhere: it has a task in the queue and
 * polls GET /api/queue the whole time. Afterwards its task must have completed and its result must
 * download, and every poll must have answered 200 within {@link #MAX_QUEUE_ANSWER_MS}.
 */
final class Bystander implements AutoCloseable {
  /** The bound for GET /api/queue under attack. */
  static final long MAX_QUEUE_ANSWER_MS = 1000;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String taskId;
  private final String token;
  private final AtomicLong slowest = new AtomicLong();
  private final AtomicLong polls = new AtomicLong();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final List<String> slowPolls = new CopyOnWriteArrayList<>();
  private long since;
  private Thread poller;
  private volatile boolean polling = true;

  private Bystander(String base, String taskId, String token) {
    this.base = base;
    this.taskId = taskId;
    this.token = token;
  }

  /** Starts polling GET /api/queue; call it as the attack begins. */
  Bystander watch() {
    since = System.nanoTime();
    poller = new Thread(this::poll, "bystander-poller");
    poller.setDaemon(true);
    poller.start();
    return this;
  }

  /** Submits a small document as a browser would (with its X-Client-Id); {@link #watch} starts the polling. */
  static Bystander arrive(int port, String name) throws Exception {
    String base = "http://127.0.0.1:" + port;
    RawClient client = new RawClient("127.0.0.1", port);
    RawClient.Response reply = client.upload(java.util.Map.of("X-Client-Id", "bystander-" + name),
        RawClient.parts(RawClient.Part.file(name + ".txt", "The weather is fine today.\nWe will meet at noon.\n".getBytes(StandardCharsets.UTF_8))));
    assertEquals(202, reply.status(), reply.text());
    JsonObject task = new JsonObject(reply.text()).getJsonArray("tasks").getJsonObject(0);
    return new Bystander(base, task.getString("task_id"), task.getString("token"));
  }

  private void poll() {
    while (polling) {
      long start = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/queue")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          failures.add("GET /api/queue answered " + r.statusCode());
        }
      } catch (IOException | InterruptedException e) {
        failures.add("GET /api/queue failed: " + e);
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      slowest.accumulateAndGet(ms, Math::max);
      if (ms >= MAX_QUEUE_ANSWER_MS / 2) {
        slowPolls.add(ms + " ms at +" + (start - since) / 1_000_000 + " ms");
      }
      polls.incrementAndGet();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The bystander's view after the attack: queue always answered, task done, result downloads. */
  void assertUnharmed() throws Exception {
    close();
    assertTrue(failures.isEmpty(), "the queue did not answer: " + failures);
    assertTrue(polls.get() > 0, "the queue was never polled");
    assertTrue(slowest.get() < MAX_QUEUE_ANSWER_MS, "GET /api/queue took " + slowest.get() + " ms at worst; slow polls: "
        + slowPolls + " of " + polls.get());
    long deadline = System.currentTimeMillis() + 60_000;
    String status = "";
    while (System.currentTimeMillis() < deadline) {
      HttpResponse<String> task = http.send(HttpRequest.newBuilder(URI.create(base + "/api/tasks/" + taskId)).build(),
          HttpResponse.BodyHandlers.ofString());
      status = new JsonObject(task.body()).getString("status");
      if (List.of("completed", "failed", "cancelled").contains(status)) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals("completed", status, "the bystander's task");
    HttpResponse<String> result = http.send(HttpRequest.newBuilder(URI.create(base + "/api/tasks/" + taskId + "/result"))
        .header("X-Task-Token", token).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, result.statusCode(), result.body());
    assertTrue(result.body().lines().count() >= 2, result.body());
  }

  @Override
  public void close() throws InterruptedException {
    polling = false;
    if (poller != null) {
      poller.join();
    }
  }
}
