package dev.translive.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.Translive;
import dev.translive.support.BridgeClient;
import dev.translive.support.TestServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics and GET /health, on a Vert.x built like Main builds it. */
class OperationsTest {
  @TempDir Path dataDir;

  @Test
  void metricsReportQueueTasksEnginesAndBridgeBesideTheVertxBuiltIns() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
    try {
      Translive app = Translive.deploy(vertx, TestServer.config(dataDir, Map.of("bridge.maxConnections", 1)), new ServiceMetrics(registry))
          .await(20, TimeUnit.SECONDS);
      WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(app.httpPort()));
      BridgeClient client = BridgeClient.watching(vertx, app.httpPort()).await(5, TimeUnit.SECONDS);
      BridgeClient refused = BridgeClient.connect(vertx, app.httpPort()).await(5, TimeUnit.SECONDS);
      refused.await(f -> "err".equals(f.json().getString("type"))).await(5, TimeUnit.SECONDS);
      client.send(new JsonObject().put("type", "send").put("address", "translive.snapshot").put("replyAddress", "r")
          .put("body", new JsonObject().put("reconnect", true)));
      var form = io.vertx.ext.web.multipart.MultipartForm.create()
          .binaryFileUpload("file", "m.txt", io.vertx.core.buffer.Buffer.buffer("One.\nTwo.\n"), "text/plain");
      String id = http.post("/api/tasks").sendMultipartForm(form).await(5, TimeUnit.SECONDS).bodyAsJsonObject()
          .getJsonArray("tasks").getJsonObject(0).getString("task_id");
      client.await(BridgeClient.completedOf(id)).await(10, TimeUnit.SECONDS);

      var response = http.get("/metrics").send().await(5, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode());
      String text = response.bodyAsString();
      for (String metric : new String[] {"translive_queue_length", "translive_tasks_running",
          "translive_task_duration_seconds_count{engine=\"demo\",status=\"completed\"} 1",
          "translive_engine_latency_seconds_count{engine=\"demo\"}", "translive_bridge_connections 1.0",
          "translive_bridge_messages_sent_total", "translive_bridge_messages_conflated_total",
          "translive_bridge_messages_refused_total 1.0", "translive_bridge_reconnects_total 1.0",
          "vertx_http_server_requests_total", "vertx_eventbus_handlers", "jvm_memory_used_bytes"}) {
        assertTrue(text.contains(metric), "missing " + metric);
      }
      client.close();
      app.undeploy().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void healthCoversStoreEnginesDiskAndBridgeAndTurnsDownWhenTheDiskIsLow() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      TestServer server = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
      var ok = server.http.get("/health").send().await(5, TimeUnit.SECONDS);
      assertEquals(200, ok.statusCode(), ok.bodyAsString());
      JsonObject body = ok.bodyAsJsonObject();
      assertEquals("UP", body.getString("status"));
      JsonArray checks = body.getJsonArray("checks");
      for (String id : new String[] {"store", "engine-demo", "disk", "bridge"}) {
        assertTrue(checks.stream().map(JsonObject.class::cast).anyMatch(c -> id.equals(c.getString("id")) && "UP".equals(c.getString("status"))),
            "check " + id + " in " + checks.encode());
      }
      server.stop().await(10, TimeUnit.SECONDS);

      TestServer low = TestServer.start(vertx, dataDir, Map.of("upload.minFreeBytes", Long.MAX_VALUE / 2)).await(20, TimeUnit.SECONDS);
      var down = low.http.get("/health").send().await(5, TimeUnit.SECONDS);
      assertEquals(503, down.statusCode());
      assertTrue(down.bodyAsString().contains("\"disk\""));
      low.stop().await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void exposedBeyondLoopbackMetricsAndHealthDetailNeedTheAdminKeyWhileLivenessStaysOpen() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      TestServer server = TestServer.start(vertx, dataDir, Map.of("http.host", "0.0.0.0", "admin.key", "correct horse battery"))
          .await(20, TimeUnit.SECONDS);
      try {
        var metrics = server.http.get("/metrics").send().await(5, TimeUnit.SECONDS);
        assertEquals(403, metrics.statusCode());
        assertTrue(metrics.bodyAsString().contains("X-Admin-Key"), metrics.bodyAsString());
        assertEquals(403, server.http.get("/metrics").putHeader("X-Admin-Key", "wrong").send().await(5, TimeUnit.SECONDS).statusCode());
        assertEquals(200, server.http.get("/metrics").putHeader("X-Admin-Key", "correct horse battery").send()
            .await(5, TimeUnit.SECONDS).statusCode());
        assertEquals(200, server.http.get("/metrics").putHeader("Authorization", "Bearer correct horse battery").send()
            .await(5, TimeUnit.SECONDS).statusCode());

        JsonObject summary = server.http.get("/health").send().await(5, TimeUnit.SECONDS).bodyAsJsonObject();
        assertEquals(new JsonObject().put("status", "UP"), summary, "no detail without the key");
        JsonObject detail = server.http.get("/health").putHeader("X-Admin-Key", "correct horse battery").send()
            .await(5, TimeUnit.SECONDS).bodyAsJsonObject();
        assertTrue(detail.getJsonArray("checks").size() >= 3, detail.encode());
        var live = server.http.get("/health/live").send().await(5, TimeUnit.SECONDS);
        assertEquals(200, live.statusCode());
        assertEquals("UP", live.bodyAsJsonObject().getString("status"));
      } finally {
        server.stop().await(10, TimeUnit.SECONDS);
      }

      // On loopback (the default) the key is not needed: only this machine reaches the port.
      TestServer local = TestServer.start(vertx, dataDir, Map.of("admin.key", "correct horse battery")).await(20, TimeUnit.SECONDS);
      try {
        assertEquals(200, local.http.get("/metrics").send().await(5, TimeUnit.SECONDS).statusCode());
      } finally {
        local.stop().await(10, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
