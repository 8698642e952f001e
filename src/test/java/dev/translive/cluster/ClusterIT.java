package dev.translive.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.ClusterServiceClient;
import dev.translive.support.PgSchema;
import dev.translive.support.Servers;
import dev.translive.support.ServiceProcess;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three JVM processes on localhost form a real Hazelcast cluster over a real PostgreSQL. */
@ExtendWith(VertxExtension.class)
class ClusterIT {
  private static final String OWNER_LINE = "This node is now the queue owner";

  @RegisterExtension final Servers servers = new Servers();
  private final int[] clusterPorts = new int[3];
  private String pgUrl;

  /** A fresh schema of the test PostgreSQL (scripts/postgres.sh) for this test's cluster, dropped after it. */
  private Future<Void> freshDatabase(Vertx vertx) {
    String base = System.getenv().getOrDefault("TRANSLIVE_TEST_PG_URL",
        System.getProperty("translive.test.pgUrl", PgSchema.DEFAULT_URL));
    try {
      for (int i = 0; i < 3; i++) {
        clusterPorts[i] = ServiceProcess.freePort();
      }
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return PgSchema.createAsync(vertx, base, "cluster_it_").map(schema -> {
      pgUrl = servers.ownAsync(schema, () -> schema.dropAsync(vertx)).url();
      return null;
    });
  }

  private Map<String, String> nodeEnv(int index, String roles) {
    StringBuilder members = new StringBuilder();
    for (int port : clusterPorts) {
      members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(port);
    }
    return new HashMap<>(ServiceProcess.env(
        "TRANSLIVE_CLUSTER_ENABLED", "true",
        "TRANSLIVE_CLUSTER_NAME", "it-" + clusterPorts[0],
        "TRANSLIVE_CLUSTER_PORT", String.valueOf(clusterPorts[index]),
        "TRANSLIVE_CLUSTER_MEMBERS", members.toString(),
        "TRANSLIVE_STORE_TYPE", "postgres",
        "TRANSLIVE_STORE_POSTGRES_URL", pgUrl,
        "TRANSLIVE_ROLES", roles,
        "TRANSLIVE_ENGINE", "demo",
        "TRANSLIVE_DEMO_DELAY_MS", "100",
        "TRANSLIVE_ENGINES_DEMO_BATCH_SIZE", "1"));
  }

  /** Node {@code index} with {@code roles}; HTTP on a port of its choosing, read from its ready line. */
  private Future<ServiceProcess> start(int index, String roles, Map<String, String> extra) {
    Map<String, String> env = nodeEnv(index, roles);
    env.put("TRANSLIVE_DATA_DIR", servers.dir("node" + index + "-data").toString());
    env.putAll(extra);
    return servers.process("node" + index, 0, env);
  }

  private static WebClient http(Vertx vertx, int port) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  private static Future<JsonObject> upload(WebClient http, String name, String text) {
    return http.post("/api/tasks").sendMultipartForm(MultipartForm.create()
        .binaryFileUpload("file", name, Buffer.buffer(text), "text/plain")).map(response -> {
          assertEquals(202, response.statusCode(), response.bodyAsString());
          return response.bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0);
        });
  }

  /** Runs {@code builder} to its end; its output, once it exited 0. */
  private Future<String> runToEnd(ProcessBuilder builder, String name) {
    return servers.run(builder, name).map(done -> {
      assertEquals(0, done.exitCode(), done.output());
      return done.output();
    });
  }

  @Test
  @Timeout(value = 4, timeUnit = TimeUnit.MINUTES)
  void progressCrossesNodesAndServicesSubmitOverTheClusteredBusAndTheTcpBridge(Vertx vertx, VertxTestContext test) throws IOException {
    int tcp = ServiceProcess.freePort();
    ServiceProcess[] node = new ServiceProcess[3];
    BridgeClient[] watcher = new BridgeClient[1];
    JsonObject[] task = new JsonObject[1];
    freshDatabase(vertx)
        .compose(v -> start(0, "http,queue", Map.of("TRANSLIVE_TCP_BRIDGE_PORT", String.valueOf(tcp))).map(n -> node[0] = n))
        .compose(v -> start(1, "http", Map.of()).map(n -> node[1] = n))
        .compose(v -> start(2, "translator", Map.of()).map(n -> node[2] = n))
        .compose(v -> servers.watch(vertx, node[1].port).map(w -> watcher[0] = w))
        .compose(v -> upload(http(vertx, node[0].port), "cross.txt", TestServer.sentences(12)).map(t -> task[0] = t))
        .compose(v -> watcher[0].await(BridgeClient.completedOf(task[0].getString("task_id"))))
        .compose(done -> {
          String id = task[0].getString("task_id");
          assertEquals("completed", done.body().getJsonObject("data").getString("status"));
          checkLifecycleInOrder(watcher[0].ofTask(id), id);
          // Node 3 translated it: its log says so (an event already past by now).
          return node[2].logLine("Task " + id + " started");
        })
        // Node 2 never saw the upload or the translation; the result comes from the shared store.
        .compose(v -> http(vertx, node[1].port).get("/api/tasks/" + task[0].getString("task_id") + "/result")
            .putHeader("X-Task-Token", task[0].getString("token")).send())
        .compose(result -> {
          assertEquals(200, result.statusCode(), result.bodyAsString());
          assertTrue(result.bodyAsString().startsWith("[es] Sentence number 1 is here."));
          // A separate JVM service joins the cluster and submits over the clustered event bus.
          Map<String, String> clientEnv = nodeEnv(0, "");
          try {
            clientEnv.put("TRANSLIVE_CLUSTER_PORT", String.valueOf(ServiceProcess.freePort()));
          } catch (IOException e) {
            return Future.failedFuture(e);
          }
          ProcessBuilder service = ClusterServiceClient.command();
          service.environment().putAll(clientEnv);
          return runToEnd(service, "service");
        })
        .compose(serviceOutput -> {
          assertTrue(serviceOutput.contains("final completed"), serviceOutput);
          // A non-JVM service submits over the TCP bridge (the README's Python client).
          Path dir = servers.dir("python");
          Path doc = dir.resolve("from-python.txt");
          try {
            Files.writeString(doc, "Python was here.\n");
          } catch (IOException e) {
            return Future.failedFuture(e);
          }
          return runToEnd(new ProcessBuilder("python3", Path.of("docs/examples/tcp_client.py").toAbsolutePath().toString(),
              String.valueOf(tcp), doc.toString()), "python");
        })
        .onComplete(test.succeeding(pythonOutput -> test.verify(() -> {
          assertTrue(pythonOutput.contains("\"status\": \"completed\""), pythonOutput);
          test.completeNow();
        })));
  }

  /** What node 2's socket saw of the task: started, progress that never goes back, one completion, in seq order. */
  private static void checkLifecycleInOrder(List<Frame> frames, String id) {
    assertEquals("task_started", frames.get(0).type(), "started first on node 2: " + frames);
    assertEquals("task_completed", frames.get(frames.size() - 1).type(), "completed last on node 2");
    assertEquals(1, frames.stream().filter(f -> "task_completed".equals(f.type())).count());
    assertTrue(frames.stream().anyMatch(f -> "progress_update".equals(f.type())), "progress of " + id + " reached node 2");
    double progress = 0;
    long seq = -1;
    for (Frame f : frames) {
      if ("progress_update".equals(f.type())) {
        double p = f.body().getJsonObject("data").getDouble("progress");
        assertTrue(p >= progress, "progress went back on node 2: " + frames);
        progress = p;
      }
      long s = f.body().getLong("seq");
      assertTrue(s > seq, "seq increases on translive.progress");
      seq = s;
    }
  }

  @Test
  @Timeout(value = 4, timeUnit = TimeUnit.MINUTES)
  void whenTheQueueOwnerDiesAnotherNodeTakesOverAndEveryTaskFinishesExactlyOnce(Vertx vertx, VertxTestContext test) {
    ServiceProcess[] node = new ServiceProcess[2];
    BridgeClient[] watcher = new BridgeClient[1];
    List<JsonObject> tasks = new ArrayList<>();
    long[] killedAt = new long[1];
    freshDatabase(vertx)
        .compose(v -> start(0, "http,queue,translator", Map.of()).map(n -> node[0] = n))
        .compose(v -> node[0].logLine(OWNER_LINE))
        .compose(v -> start(1, "http,queue,translator", Map.of()).map(n -> node[1] = n))
        .compose(v -> servers.watch(vertx, node[1].port).map(w -> watcher[0] = w))
        .compose(v -> {
          WebClient http = http(vertx, node[1].port);
          Future<Void> uploads = Future.succeededFuture();
          for (int i = 0; i < 5; i++) {
            String name = "task" + i + ".txt";
            uploads = uploads.compose(x -> upload(http, name, TestServer.sentences(8)).map(t -> {
              tasks.add(t);
              return null;
            }));
          }
          return uploads;
        })
        .compose(v -> watcher[0].await(f -> "progress_update".equals(f.type())))
        .compose(v -> {
          killedAt[0] = System.currentTimeMillis();
          return node[0].killNow();
        })
        // The survivor becomes the owner and publishes the queue as it now stands.
        .compose(v -> node[1].logLine(OWNER_LINE))
        .compose(line -> {
          printFailover(line, killedAt[0]);
          return watcher[0].awaitNext(f -> "queue_update".equals(f.type()));
        })
        .compose(v -> Future.all(tasks.stream().map(t -> watcher[0].await(BridgeClient.completedOf(t.getString("task_id")))).toList()))
        // A late duplicate run would come from a task put back in the queue, so before a task
        // submitted now: its completion bounds the wait.
        .compose(v -> upload(http(vertx, node[1].port), "marker.txt", "Marker."))
        .compose(marker -> watcher[0].await(BridgeClient.completedOf(marker.getString("task_id"))))
        .compose(markerDone -> {
          for (JsonObject task : tasks) {
            String id = task.getString("task_id");
            long completions = watcher[0].ofTaskBefore(id, markerDone).stream().filter(f -> "task_completed".equals(f.type())
                && f.body().getJsonObject("data").getBoolean("success")).count();
            assertEquals(1, completions, "task " + id + " finished " + completions + " times");
          }
          WebClient http = http(vertx, node[1].port);
          return Future.all(tasks.stream().map(t -> http.get("/api/tasks/" + t.getString("task_id")).send()
              .map(HttpResponse::bodyAsJsonObject)).toList());
        })
        .onComplete(test.succeeding(statuses -> test.verify(() -> {
          for (int i = 0; i < tasks.size(); i++) {
            JsonObject status = statuses.resultAt(i);
            assertEquals("completed", status.getString("status"), status.encode());
          }
          test.completeNow();
        })));
  }

  /** For the record, not asserted (speed belongs to bench/): kill to the survivor's log line. */
  private static void printFailover(String ownerLine, long killedAt) {
    LocalTime at = LocalTime.parse(ownerLine.substring(0, 12));
    long tookOverAt = LocalDate.now().atTime(at).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    System.out.println("FAILOVER_SECONDS=" + (tookOverAt - killedAt) / 1000.0);
  }
}
