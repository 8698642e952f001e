package dev.translive.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The cost per delivery of each SockJS transport, with the official client: N clients
 * (bench/node-broadcaster/official-clients.js, @vertx/eventbus-bridge-client.js over sockjs-client)
 * on one transport watch the same demo task as the fan-out benchmark; server CPU over the task, less
 * the task's own cost measured with no client, divided by the messages the clients received.
 * A fresh service process per transport. BENCH_FALLBACK_CLIENTS (200), BENCH_FANOUT_SECONDS (20).
 */
public final class FanoutFallbackBench {
  private static final List<String> TRANSPORTS = List.of(System.getenv()
      .getOrDefault("BENCH_FALLBACK_TRANSPORTS", "none,websocket,xhr-streaming,xhr-polling,eventsource").split(","));

  private FanoutFallbackBench() {}

  public static void main(String[] args) throws Exception {
    int clients = Integer.parseInt(System.getenv().getOrDefault("BENCH_FALLBACK_CLIENTS", "200"));
    int seconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_FANOUT_SECONDS", "20"));
    Path script = Path.of(System.getProperty("bench.node", "bench/node-broadcaster/broadcaster.js")).toAbsolutePath()
        .resolveSibling("official-clients.js");
    Vertx vertx = Vertx.vertx();
    JsonArray rows = new JsonArray();
    double baseline = 0;
    try {
      for (String transport : TRANSPORTS) {
        Path work = Files.createTempDirectory("translive-bench-fallback-");
        Map<String, String> env = Map.of("TRANSLIVE_ENGINE", "demo", "TRANSLIVE_DEMO_DELAY_MS", "100",
            "TRANSLIVE_HTTP_INSTANCES", System.getenv().getOrDefault("BENCH_HTTP_INSTANCES", "0"),
            "TRANSLIVE_BRIDGE_MAX_CONNECTIONS", String.valueOf(clients + 100),
            "TRANSLIVE_BRIDGE_MAX_CONNECTIONS_PER_CLIENT", String.valueOf(clients + 100),
            "TRANSLIVE_BRIDGE_MAX_MESSAGES_PER_SECOND", "20");
        try (ServerProcess server = ServerProcess.start(work, List.of("-Xmx512m", "-XX:+UseG1GC"), env)) {
          Process node = null;
          CompletableFuture<Void> ready = new CompletableFuture<>();
          CompletableFuture<JsonObject> done = new CompletableFuture<>();
          if (!transport.equals("none")) {
            node = new ProcessBuilder("node", script.toString(), server.baseUrl() + "/eventbus", transport,
                String.valueOf(clients)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Process reading = node;
            Thread reader = new Thread(() -> {
              try (BufferedReader lines = new BufferedReader(new InputStreamReader(reading.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  if (line.equals("ready")) {
                    ready.complete(null);
                  } else if (line.startsWith("{")) {
                    done.complete(new JsonObject(line));
                  }
                }
              } catch (Exception e) {
                done.completeExceptionally(e);
              }
            });
            reader.setDaemon(true);
            reader.start();
            try {
              ready.get(120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException notAll) {
              System.out.println(transport + ": not every client registered within 120 s; measuring those that did");
            }
          }
          double cpuBefore = ProcStats.cpuSeconds(server.pid());
          long started = System.nanoTime();
          FanoutLoadGenerator.submitLongTask(vertx, server.port, seconds);
          JsonObject outcome;
          if (node == null) {
            Thread.sleep(seconds * 1000L + 2000); // no client to say when the task ended: its nominal length
            outcome = new JsonObject().put("clients", 0).put("completed", 0).put("delivered", 0);
          } else {
            try {
              outcome = done.get(seconds + 120L, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException late) {
              node.destroy();
              outcome = done.get(10, TimeUnit.SECONDS);
            }
          }
          double cpu = ProcStats.cpuSeconds(server.pid()) - cpuBefore;
          double wall = (System.nanoTime() - started) / 1e9;
          if (node != null) {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
          }
          if (transport.equals("none")) {
            baseline = cpu / wall; // the task's own cost per second, with no client
          }
          long delivered = outcome.getLong("delivered");
          double fanOutCpu = Math.max(0, cpu - baseline * wall);
          rows.add(outcome.put("transport", transport).put("server_cpu_seconds", cpu).put("wall_seconds", wall)
              .put("fan_out_cpu_seconds", fanOutCpu)
              .put("cpu_us_per_delivery", delivered == 0 ? null : fanOutCpu / delivered * 1e6));
          System.out.println(rows.getJsonObject(rows.size() - 1).encode());
        }
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    BenchResult r = new BenchResult("fanout-fallback", "Fan-out cost per delivery by SockJS transport, official client, "
        + clients + " clients");
    r.config.put("clients", clients).put("task_seconds", seconds).put("client", "@vertx/eventbus-bridge-client.js over sockjs-client (Node)");
    Double websocket = null;
    for (Object o : rows) {
      JsonObject row = (JsonObject) o;
      if (row.getString("transport").equals("none")) {
        r.info("server CPU of the task with no client", row.getDouble("server_cpu_seconds") / row.getDouble("wall_seconds"), "cores");
        continue;
      }
      Double us = row.getDouble("cpu_us_per_delivery");
      if (row.getString("transport").equals("websocket")) {
        websocket = us;
      }
      r.info(row.getString("transport") + ": server CPU per delivery", us == null ? Double.NaN : us, "µs")
          .info(row.getString("transport") + ": per delivery / WebSocket's",
              us == null || websocket == null ? Double.NaN : us / websocket, "")
          .info(row.getString("transport") + ": clients with task_completed", row.getInteger("completed"), "");
    }
    r.note("Server CPU over the task less the task's own CPU (measured with no client), divided by the messages"
        + " the clients received. A fresh service per transport; one run on a shared machine.");
    r.raw.put("runs", rows);
    r.write();
  }
}
