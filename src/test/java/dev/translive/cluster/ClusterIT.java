package dev.translive.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.BridgeClient.Frame;
import dev.translive.support.PgSchema;
import dev.translive.support.ServiceProcess;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Three JVM processes on localhost form a real Hazelcast cluster over a real PostgreSQL. */
@ExtendWith(VertxExtension.class)
class ClusterIT {
  @TempDir Path work;
  private final List<ServiceProcess> nodes = new ArrayList<>();
  private final int[] clusterPorts = new int[3];
  private String pgUrl;

  @AfterEach
  void stopNodes() throws Exception {
    for (ServiceProcess node : nodes) {
      node.kill();
    }
  }

  /** A fresh schema of the test PostgreSQL (scripts/postgres.sh) for this test's cluster. */
  private void freshDatabase(Vertx vertx) throws Exception {
    String base = System.getenv().getOrDefault("TRANSLIVE_TEST_PG_URL",
        System.getProperty("translive.test.pgUrl", PgSchema.DEFAULT_URL));
    pgUrl = PgSchema.create(vertx, base, "cluster_it_").url();
    for (int i = 0; i < 3; i++) {
      clusterPorts[i] = ServiceProcess.freePort();
    }
  }

  private Map<String, String> nodeEnv(int index, String roles, int httpPort) {
    StringBuilder members = new StringBuilder();
    for (int port : clusterPorts) {
      members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(port);
    }
    Map<String, String> env = new HashMap<>(ServiceProcess.env(
        "TRANSLIVE_CLUSTER_ENABLED", "true",
        "TRANSLIVE_CLUSTER_NAME", "it-" + clusterPorts[0],
        "TRANSLIVE_CLUSTER_PORT", String.valueOf(clusterPorts[index]),
        "TRANSLIVE_CLUSTER_MEMBERS", members.toString(),
        "TRANSLIVE_STORE_TYPE", "postgres",
        "TRANSLIVE_STORE_POSTGRES_URL", pgUrl,
        "TRANSLIVE_ROLES", roles,
        "TRANSLIVE_DATA_DIR", work.resolve("node" + index).resolve("data").toString(),
        "TRANSLIVE_ENGINE", "demo",
        "TRANSLIVE_DEMO_DELAY_MS", "100",
        "TRANSLIVE_ENGINES_DEMO_BATCH_SIZE", "1"));
    env.put("TRANSLIVE_HTTP_PORT", String.valueOf(httpPort));
    return env;
  }

  private ServiceProcess start(int index, String roles, int httpPort, Map<String, String> extra) throws Exception {
    Map<String, String> env = nodeEnv(index, roles, httpPort);
    env.putAll(extra);
    Path dir = work.resolve("node" + index);
    ServiceProcess node = roles.contains("http") ? ServiceProcess.start(dir, httpPort, env, "node.log")
        : ServiceProcess.startNode(dir, httpPort, env, "node.log");
    nodes.add(node);
    return node;
  }

  private static WebClient http(Vertx vertx, int port) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  private static JsonObject upload(WebClient http, String name, String text) throws Exception {
    var response = http.post("/api/tasks").sendMultipartForm(MultipartForm.create()
        .binaryFileUpload("file", name, Buffer.buffer(text), "text/plain")).await(30, TimeUnit.SECONDS);
    assertEquals(202, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("tasks").getJsonObject(0);
  }

  @Test
  void progressCrossesNodesAndServicesSubmitOverTheClusteredBusAndTheTcpBridge(Vertx vertx) throws Exception {
    freshDatabase(vertx);
    int http1 = ServiceProcess.freePort();
    int http2 = ServiceProcess.freePort();
    int tcp = ServiceProcess.freePort();
    start(0, "http,queue", http1, Map.of("TRANSLIVE_TCP_BRIDGE_PORT", String.valueOf(tcp)));
    start(1, "http", http2, Map.of());
    ServiceProcess translator = start(2, "translator", ServiceProcess.freePort(), Map.of());

    BridgeClient watcher = BridgeClient.watching(vertx, http2).await(10, TimeUnit.SECONDS);
    JsonObject task = upload(http(vertx, http1), "cross.txt", TestServer.sentences(12));
    String id = task.getString("task_id");
    Frame done = watcher.await(BridgeClient.completedOf(id)).await(60, TimeUnit.SECONDS);
    assertEquals("completed", done.body().getJsonObject("data").getString("status"));
    assertTrue(watcher.ofTask(id).stream().anyMatch(f -> "progress_update".equals(f.type())), "progress reached node 2");
    assertTrue(translator.logText().contains("Task " + id + " started"), "node 3 translated it");
    // Node 2 never saw the upload or the translation; the result comes from the shared store.
    var result = http(vertx, http2).get("/api/tasks/" + id + "/result").putHeader("X-Task-Token", task.getString("token"))
        .send().await(10, TimeUnit.SECONDS);
    assertEquals(200, result.statusCode(), result.bodyAsString());
    assertTrue(result.bodyAsString().startsWith("[es] Sentence number 1 is here."));
    // The per-socket cap (10 a second) still holds on node 2.
    List<Frame> frames = watcher.frames;
    for (int i = 0; i + 10 < frames.size(); i++) {
      assertTrue(frames.get(i + 10).receivedAt() - frames.get(i).receivedAt() >= 900, "cap exceeded on node 2");
    }

    // A separate JVM service joins the cluster and submits over the clustered event bus.
    Map<String, String> clientEnv = nodeEnv(0, "", 0);
    clientEnv.put("TRANSLIVE_CLUSTER_PORT", String.valueOf(ServiceProcess.freePort()));
    ProcessBuilder service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.translive.support.ClusterServiceClient").redirectErrorStream(true);
    service.environment().putAll(clientEnv);
    Path serviceLog = work.resolve("service.log");
    service.redirectOutput(serviceLog.toFile());
    Process jvm = service.start();
    assertTrue(jvm.waitFor(120, TimeUnit.SECONDS), "the service JVM finished");
    String serviceOutput = Files.readString(serviceLog);
    assertEquals(0, jvm.exitValue(), serviceOutput);
    assertTrue(serviceOutput.contains("final completed"), serviceOutput);

    // A non-JVM service submits over the TCP bridge (the README's Python client).
    Path doc = work.resolve("from-python.txt");
    Files.writeString(doc, "Python was here.\n");
    Process python = new ProcessBuilder("python3", Path.of("docs/examples/tcp_client.py").toAbsolutePath().toString(),
        String.valueOf(tcp), doc.toString()).redirectErrorStream(true).start();
    assertTrue(python.waitFor(60, TimeUnit.SECONDS));
    String pythonOutput = new String(python.getInputStream().readAllBytes());
    assertEquals(0, python.exitValue(), pythonOutput);
    assertTrue(pythonOutput.contains("\"status\": \"completed\""), pythonOutput);
    watcher.close();
  }

  @Test
  void whenTheQueueOwnerDiesAnotherNodeTakesOverAndEveryTaskFinishesExactlyOnce(Vertx vertx) throws Exception {
    freshDatabase(vertx);
    int httpA = ServiceProcess.freePort();
    int httpB = ServiceProcess.freePort();
    ServiceProcess a = start(0, "http,queue,translator", httpA, Map.of());
    a.awaitLog("This node is now the queue owner", java.time.Duration.ofSeconds(30));
    ServiceProcess b = start(1, "http,queue,translator", httpB, Map.of());

    BridgeClient watcher = BridgeClient.watching(vertx, httpB).await(10, TimeUnit.SECONDS);
    List<JsonObject> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tasks.add(upload(http(vertx, httpB), "task" + i + ".txt", TestServer.sentences(8)));
    }
    watcher.await(f -> "progress_update".equals(f.type())).await(30, TimeUnit.SECONDS);
    long killedAt = System.currentTimeMillis();
    a.kill();
    nodes.remove(a);

    // The survivor becomes the owner: the time from the kill to its log line saying so.
    b.awaitLog("This node is now the queue owner", java.time.Duration.ofSeconds(30));
    String line = b.logText().lines().filter(l -> l.contains("This node is now the queue owner")).findFirst().orElseThrow();
    java.time.LocalTime at = java.time.LocalTime.parse(line.substring(0, 12));
    long tookOverAt = java.time.LocalDate.now().atTime(at).atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
    double failoverSeconds = (tookOverAt - killedAt) / 1000.0;
    watcher.await(f -> "queue_update".equals(f.type()) && f.receivedAt() > tookOverAt).await(30, TimeUnit.SECONDS);
    System.out.println("FAILOVER_SECONDS=" + failoverSeconds);
    assertTrue(failoverSeconds < 10, "took over in " + failoverSeconds + " s");

    for (JsonObject task : tasks) {
      watcher.await(BridgeClient.completedOf(task.getString("task_id"))).await(90, TimeUnit.SECONDS);
    }
    Thread.sleep(3000); // a late duplicate would show up here
    for (JsonObject task : tasks) {
      String id = task.getString("task_id");
      long completions = watcher.ofTask(id).stream().filter(f -> "task_completed".equals(f.type())
          && f.body().getJsonObject("data").getBoolean("success")).count();
      assertEquals(1, completions, "task " + id + " finished " + completions + " times");
      JsonObject status = http(vertx, httpB).get("/api/tasks/" + id).send().await(10, TimeUnit.SECONDS).bodyAsJsonObject();
      assertEquals("completed", status.getString("status"), status.encode());
    }
    watcher.close();
  }
}
