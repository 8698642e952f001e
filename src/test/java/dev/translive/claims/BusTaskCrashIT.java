package dev.translive.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.BridgeClient;
import dev.translive.support.ClusterServiceClient;
import dev.translive.support.PgSchema;
import dev.translive.support.Servers;
import dev.translive.support.ServiceProcess;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * README: "After kill -9 the queue comes back in order and the running task resumes", for a task a
 * separate JVM service submitted over the clustered event bus.
 */
@ExtendWith(VertxExtension.class)
class BusTaskCrashIT {
  private static final int SENTENCES = 60;

  @RegisterExtension final Servers servers = new Servers();
  /** The node, the service JVM, the node again after the kill. */
  private final int[] clusterPorts = new int[3];
  private String pgUrl;
  private Path data;

  private Map<String, String> env(int index) {
    String members = "127.0.0.1:" + clusterPorts[0] + ",127.0.0.1:" + clusterPorts[1] + ",127.0.0.1:" + clusterPorts[2];
    return new HashMap<>(ServiceProcess.env(
        "TRANSLIVE_CLUSTER_ENABLED", "true",
        "TRANSLIVE_CLUSTER_NAME", "bus-crash-" + clusterPorts[0],
        "TRANSLIVE_CLUSTER_PORT", String.valueOf(clusterPorts[index]),
        "TRANSLIVE_CLUSTER_MEMBERS", members,
        "TRANSLIVE_STORE_TYPE", "postgres",
        "TRANSLIVE_STORE_POSTGRES_URL", pgUrl,
        "TRANSLIVE_DATA_DIR", data.toString(),
        "TRANSLIVE_ENGINE", "demo",
        "TRANSLIVE_DEMO_DELAY_MS", "100",
        "TRANSLIVE_ENGINES_DEMO_BATCH_SIZE", "1"));
  }

  @Test
  @Timeout(value = 4, timeUnit = TimeUnit.MINUTES)
  void aBusSubmittedTaskResumesAfterKillMinusNineAndCompletes(Vertx vertx, VertxTestContext test) throws IOException {
    for (int i = 0; i < clusterPorts.length; i++) {
      clusterPorts[i] = ServiceProcess.freePort();
    }
    data = servers.dir("node-data");
    String base = System.getenv().getOrDefault("TRANSLIVE_TEST_PG_URL",
        System.getProperty("translive.test.pgUrl", PgSchema.DEFAULT_URL));
    Path nodeDir = servers.dir("node");
    String[] submitted = new String[2];
    ServiceProcess[] node = new ServiceProcess[2];
    PgSchema.createAsync(vertx, base, "bus_crash_it_")
        .compose(schema -> {
          pgUrl = servers.ownAsync(schema, () -> schema.dropAsync(vertx)).url();
          return servers.process(nodeDir, 0, env(0), "first.log");
        })
        .compose(first -> servers.watch(vertx, (node[0] = first).port))
        .compose(watcher -> submitOverTheBus().compose(line -> {
          String[] parts = line.split(" ");
          submitted[0] = parts[1];
          submitted[1] = parts[2];
          // Mid-task: some segments done, most still to go.
          return watcher.await(f -> BridgeClient.progressOf(submitted[0]).test(f)
              && f.body().getJsonObject("data").getInteger("completed_segments") >= 10);
        }))
        .compose(midTask -> {
          assertTrue(midTask.body().getJsonObject("data").getInteger("completed_segments") < SENTENCES, "killed mid-task");
          return node[0].killNow();
        })
        .compose(v -> servers.process(nodeDir, 0, env(2), "second.log"))
        .compose(second -> servers.watch(vertx, (node[1] = second).port))
        .compose(watcher -> watcher.await(BridgeClient.progressOf(submitted[0])).compose(first -> {
          assertTrue(first.body().getJsonObject("data").getDouble("progress") > 0, "progress kept: " + first.body().encode());
          return watcher.await(f -> BridgeClient.progressOf(submitted[0]).test(f)
              && "translating".equals(f.body().getJsonObject("data").getString("stage")));
        }).compose(translating -> {
          // It resumes: the segments translated before the kill come from the translation memory.
          assertTrue(translating.body().getJsonObject("data").getInteger("cached_segments") > 0,
              "resumed with what was translated: " + translating.body().encode());
          return watcher.await(BridgeClient.completedOf(submitted[0]));
        }))
        .compose(end -> {
          assertEquals("completed", end.body().getJsonObject("data").getString("status"), end.body().encode());
          WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node[1].port));
          return http.get("/api/tasks/" + submitted[0] + "/result").putHeader("X-Task-Token", submitted[1]).send();
        })
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertEquals(200, result.statusCode(), result.bodyAsString());
          assertEquals(TestServer.sentences(SENTENCES).replaceAll("(?m)^(?=.)", "[es] "), result.bodyAsString());
          assertTrue(node[1].logText().contains(submitted[0]), "the restarted node took the task up");
          test.completeNow();
        })));
  }

  /** The service JVM submits and exits; its {@code submitted <id> <token>} line. */
  private Future<String> submitOverTheBus() {
    ProcessBuilder client = ClusterServiceClient.command(String.valueOf(SENTENCES), "submit-only");
    Map<String, String> clientEnv = env(1);
    clientEnv.put("TRANSLIVE_ROLES", "");
    client.environment().putAll(clientEnv);
    return servers.run(client, "service").map(done -> {
      assertEquals(0, done.exitCode(), done.output());
      return done.output().lines().filter(l -> l.startsWith("submitted ")).findFirst().orElseThrow(() -> new AssertionError(done.output()));
    });
  }
}
