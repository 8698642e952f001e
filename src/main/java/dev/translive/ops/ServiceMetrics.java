package dev.translive.ops;

import dev.translive.progress.BridgeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Translive's own meters, registered beside the Vert.x built-ins in one Prometheus registry and
 * served at GET /metrics. Names are documented in README ("Operations").
 */
public final class ServiceMetrics implements BridgeMetrics {
  private final PrometheusMeterRegistry registry;
  private final AtomicInteger queueLength = new AtomicInteger();
  private final AtomicInteger runningTasks = new AtomicInteger();
  private final AtomicInteger bridgeConnections = new AtomicInteger();
  private final Counter sent;
  private final Counter conflated;
  private final Counter refused;
  private final Counter reconnects;

  public ServiceMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("translive_queue_length", queueLength, AtomicInteger::get).description("Tasks waiting").register(registry);
    Gauge.builder("translive_tasks_running", runningTasks, AtomicInteger::get).description("Tasks translating").register(registry);
    Gauge.builder("translive_bridge_connections", bridgeConnections, AtomicInteger::get)
        .description("Open browser bridge sockets").register(registry);
    sent = Counter.builder("translive_bridge_messages_sent").description("Messages written to bridge sockets").register(registry);
    conflated = Counter.builder("translive_bridge_messages_conflated")
        .description("Intermediate messages replaced by a newer one under the per-socket cap").register(registry);
    refused = Counter.builder("translive_bridge_messages_refused")
        .description("Inbound frames and connections the bridge refused").register(registry);
    reconnects = Counter.builder("translive_bridge_reconnects").description("Clients that came back after losing the bridge")
        .register(registry);
  }

  /** A registry of its own, for deployments whose Vert.x runs without the Micrometer metrics factory (tests). */
  public static ServiceMetrics standalone() {
    return new ServiceMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public MeterRegistry meters() {
    return registry;
  }

  public void queue(int queued, int running) {
    queueLength.set(queued);
    runningTasks.set(running);
  }

  @Override
  public AtomicInteger connections() {
    return bridgeConnections;
  }

  public void taskFinished(String engine, String status, double seconds) {
    Timer.builder("translive_task_duration").description("Task duration from start to end").tag("engine", engine)
        .tag("status", status).register(registry).record(Duration.ofMillis((long) (seconds * 1000)));
  }

  public void engineCall(String engine, long nanos, boolean failed) {
    Timer.builder("translive_engine_latency").description("Time of one engine call (a batch)").tag("engine", engine)
        .register(registry).record(Duration.ofNanos(nanos));
    if (failed) {
      Counter.builder("translive_engine_errors").description("Engine calls that failed").tag("engine", engine)
          .register(registry).increment();
    }
  }

  /**
   * A connection or upload the HTTP edge refused, by reason: {@code connections_per_address},
   * {@code header_timeout}, {@code too_large}, {@code files_per_client}, {@code bytes_per_client},
   * {@code low_disk}. Static, as the edge holds the registry only.
   */
  public static void edgeRefused(MeterRegistry registry, String reason) {
    Counter.builder("translive_http_refused").description("Connections and uploads the HTTP edge refused, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  @Override
  public void sent(long n) {
    sent.increment(n);
  }

  @Override
  public void conflated() {
    conflated.increment();
  }

  @Override
  public void refused() {
    refused.increment();
  }

  @Override
  public void reconnected() {
    reconnects.increment();
  }
}
