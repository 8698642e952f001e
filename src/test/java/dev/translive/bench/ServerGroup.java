package dev.translive.bench;

import dev.translive.support.PgSchema;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The service as one process (SQLite, every role) or as a cluster of processes on this machine
 * (Hazelcast event bus, PostgreSQL store in a schema of its own, dropped at the end). Node 0 always
 * has every role, so uploads and the translator are where they are on a single node; the other
 * nodes serve HTTP and the bridge only, and receive progress over the clustered bus.
 */
final class ServerGroup implements AutoCloseable {
  final List<ServerProcess> nodes = new ArrayList<>();
  private Vertx vertx;
  /** Null for a single node. */
  private PgSchema schema;

  /**
   * Starts {@code count} nodes, one after the other, node i in work/node-i ({@code work} itself for a
   * single node); {@code jvmOptions} gives node i's JVM options.
   */
  static ServerGroup start(Vertx vertx, int count, Path work, IntFunction<List<String>> jvmOptions, Map<String, String> env)
      throws Exception {
    ServerGroup group = new ServerGroup();
    if ("node".equals(System.getenv("BENCH_TARGET"))) {
      group.nodes.add(ServerProcess.startNode(work, env));
      return group;
    }
    if (count == 1) {
      group.nodes.add(ServerProcess.start(work, jvmOptions.apply(0), env));
      return group;
    }
    group.vertx = vertx;
    group.schema = PgSchema.create(vertx, System.getenv().getOrDefault("BENCH_PG_URL", PgSchema.DEFAULT_URL), "bench_");
    try {
      List<String> members = new ArrayList<>();
      int[] clusterPorts = new int[count];
      for (int i = 0; i < count; i++) {
        clusterPorts[i] = ServerProcess.freePort();
        members.add("127.0.0.1:" + clusterPorts[i]);
      }
      for (int i = 0; i < count; i++) {
        Map<String, String> nodeEnv = new HashMap<>(env);
        nodeEnv.put("TRANSLIVE_CLUSTER_ENABLED", "true");
        nodeEnv.put("TRANSLIVE_CLUSTER_NAME", "bench-" + clusterPorts[0]);
        nodeEnv.put("TRANSLIVE_CLUSTER_PORT", String.valueOf(clusterPorts[i]));
        nodeEnv.put("TRANSLIVE_CLUSTER_MEMBERS", String.join(",", members));
        nodeEnv.put("TRANSLIVE_STORE_TYPE", "postgres");
        nodeEnv.put("TRANSLIVE_STORE_POSTGRES_URL", group.schema.url());
        nodeEnv.put("TRANSLIVE_ROLES", roles(i));
        // Clustered Vert.x answers /health only once it has joined, so node i+1 starts after node i is in.
        group.nodes.add(ServerProcess.start(work.resolve("node-" + i), jvmOptions.apply(i), nodeEnv));
      }
      return group;
    } catch (Exception e) {
      group.close();
      throw e;
    }
  }

  /** Node 0: every role; the others: the HTTP server and bridge only. */
  static String roles(int node) {
    return node == 0 ? "http,queue,translator" : "http";
  }

  /** Where tasks are uploaded: the node with the queue and the translator. */
  ServerProcess first() {
    return nodes.get(0);
  }

  @Override
  public void close() throws InterruptedException {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    if (schema != null) {
      try {
        schema.drop(vertx);
      } catch (Exception | AssertionError e) {
        System.err.println("could not drop the benchmark schema " + schema.name() + ": " + e);
      }
    }
  }
}
