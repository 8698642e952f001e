package dev.translive.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/** The configuration, read once and handed to verticles as typed values. */
public final class AppConfig {
  private final JsonObject raw;
  private final Http http;
  private final Queue queue;
  private final dev.translive.progress.BridgeOptions bridge;
  private final boolean bridgeCompression;
  private final Upload upload;
  private final Path dataDir;

  public AppConfig(JsonObject raw) {
    this.raw = raw;
    JsonObject h = section("http");
    List<String> origins = h.getJsonArray("allowedOrigins", new JsonArray()).stream().map(Object::toString).toList();
    int instances = h.getInteger("instances", 0);
    // 0: one HTTP verticle per core, each with its own bridge hub and share of the sockets.
    this.http = new Http(h.getString("host"), h.getInteger("port"),
        instances > 0 ? instances : Runtime.getRuntime().availableProcessors(),
        h.getString("webroot", "webroot"), origins);
    JsonObject q = section("queue");
    this.queue = new Queue(q.getInteger("concurrency"), q.getInteger("maxQueued"), q.getInteger("broadcastLimit"),
        q.getBoolean("showFilenames"), q.getDouble("defaultSecondsPerSegment"), q.getString("sourceLang"),
        q.getString("targetLang"), section("history").getInteger("maxTasks"));
    JsonObject b = section("bridge");
    // The bridge settings are the progress layer's own options (named defaults, contract addresses).
    dev.translive.progress.BridgeOptions d = new dev.translive.progress.BridgeOptions();
    this.bridge = d
        .setMaxConnections(b.getInteger("maxConnections", d.getMaxConnections()))
        .setMaxConnectionsPerClient(b.getInteger("maxConnectionsPerClient", d.getMaxConnectionsPerClient()))
        .setMaxMessagesPerSecond(b.getInteger("maxMessagesPerSecond", d.getMaxMessagesPerSecond()))
        .setMaxInboundPerSecond(b.getInteger("maxInboundPerSecond", d.getMaxInboundPerSecond()))
        .setMaxPendingPerSocket(b.getInteger("maxPendingPerSocket", d.getMaxPendingPerSocket()))
        .setMaxUnflushedBytesPerSocket(b.getLong("maxUnflushedBytesPerSocket", d.getMaxUnflushedBytesPerSocket()))
        .setMaxHandlersPerSocket(b.getInteger("maxHandlersPerSocket", d.getMaxHandlersPerSocket()))
        .setHeartbeatMs(b.getLong("heartbeatMs", d.getHeartbeatMs()))
        .setSessionTimeoutMs(b.getLong("sessionTimeoutMs", d.getSessionTimeoutMs()))
        .setPingTimeoutMs(b.getLong("pingTimeoutMs", d.getPingTimeoutMs()))
        .setMaxFrameBytes(b.getInteger("maxFrameBytes", d.getMaxFrameBytes()))
        .setFanOutIntervalMs(b.getLong("fanOutIntervalMs", d.getFanOutIntervalMs()))
        .setAllowedOrigins(origins)
        .setDisabledTransports(b.getJsonArray("disabledTransports", new JsonArray()).stream().map(Object::toString).toList());
    this.bridgeCompression = b.getBoolean("compression", false);
    JsonObject u = section("upload");
    this.upload = new Upload(u.getLong("maxBytes"), u.getInteger("maxFiles"), u.getLong("minFreeBytes"),
        u.getInteger("perClientPerMinute"), u.getInteger("perClientBurst"));
    this.dataDir = Path.of(raw.getString("dataDir"));
  }

  public record Http(String host, int port, int instances, String webroot, List<String> allowedOrigins) {}

  public record Queue(
      int concurrency,
      int maxQueued,
      int broadcastLimit,
      boolean showFilenames,
      double defaultSecondsPerSegment,
      String defaultSourceLang,
      String defaultTargetLang,
      int historyMaxTasks) {}

  public record Upload(long maxBytes, int maxFiles, long minFreeBytes, int perClientPerMinute, int perClientBurst) {}

  public Http http() {
    return http;
  }

  public Queue queue() {
    return queue;
  }

  public dev.translive.progress.BridgeOptions bridge() {
    return bridge;
  }

  /** permessage-deflate on the bridge's WebSocket (off: ~256 KB per connection for ~200-byte messages). */
  public boolean bridgeCompression() {
    return bridgeCompression;
  }

  public Upload upload() {
    return upload;
  }

  /** What reading one document may cost (upload.maxSegments, maxCharacters, maxPages, maxMarkupBytes). */
  public dev.translive.format.FormatLimits formatLimits() {
    JsonObject u = section("upload");
    dev.translive.format.FormatLimits d = dev.translive.format.FormatLimits.DEFAULTS;
    return new dev.translive.format.FormatLimits(u.getInteger("maxSegments", d.maxSegments()),
        u.getLong("maxCharacters", d.maxCharacters()), u.getInteger("maxPages", d.maxPages()),
        u.getLong("maxMarkupBytes", d.maxMarkupBytes()));
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The parts of the service this process plays: any of http, queue, translator. */
  public List<String> roles() {
    return raw.getJsonArray("roles", new JsonArray().add("http").add("queue").add("translator")).stream()
        .map(Object::toString).toList();
  }

  public boolean hasRole(String role) {
    return roles().contains(role);
  }

  public record Cluster(boolean enabled, String name, String host, int port, List<String> members, int heartbeatSeconds,
      int maxNoHeartbeatSeconds) {}

  public Cluster cluster() {
    JsonObject c = section("cluster");
    return new Cluster(c.getBoolean("enabled", false), c.getString("name", "translive"), c.getString("host", "127.0.0.1"),
        c.getInteger("port", 5701), c.getJsonArray("members", new JsonArray().add("127.0.0.1")).stream().map(Object::toString).toList(),
        c.getInteger("heartbeatSeconds", 1), c.getInteger("maxNoHeartbeatSeconds", 5));
  }

  /**
   * The HTTP edge's protections (issue 10): who the client is behind proxies, connection hygiene,
   * the per-client byte budget, and the admin key for /metrics and the detail of /health.
   */
  public record Edge(List<String> trustedProxies, int idleTimeoutSeconds, long headerTimeoutMs, int maxConnectionsPerAddress,
      long perClientBytesPerHour, String adminKey) {
    /** The key is a secret: never printed with the record. */
    @Override
    public String toString() {
      return "Edge[trustedProxies=" + trustedProxies + ", idleTimeoutSeconds=" + idleTimeoutSeconds + "]";
    }
  }

  public Edge edge() {
    JsonObject h = section("http");
    return new Edge(h.getJsonArray("trustedProxies", new JsonArray()).stream().map(Object::toString).toList(),
        h.getInteger("idleTimeoutSeconds", 60), h.getLong("headerTimeoutMs", 10_000L), h.getInteger("maxConnectionsPerAddress", 1000),
        section("upload").getLong("perClientBytesPerHour", 524_288_000L), section("admin").getString("key", ""));
  }

  /** Bounds of a .zip upload's contents (a batch): entries, bytes written in all, expansion ratio per entry. */
  public record Zip(int maxEntries, long maxBytes, int maxRatio) {}

  public Zip zip() {
    JsonObject u = section("upload");
    return new Zip(u.getInteger("zipMaxEntries", 1000), u.getLong("zipMaxBytes", 524_288_000L), u.getInteger("zipMaxRatio", 100));
  }

  /** "sqlite" (single node, the default) or "postgres" (cluster). */
  public String storeType() {
    return section("store").getString("type", "sqlite");
  }

  public String postgresUrl() {
    return section("store").getString("postgresUrl");
  }

  /** Port of the TCP event-bus bridge for non-JVM services; 0 keeps it off. */
  public int tcpBridgePort() {
    return section("tcpBridge").getInteger("port", 0);
  }

  public String tcpBridgeHost() {
    return section("tcpBridge").getString("host", "127.0.0.1");
  }

  /** Tasks one submitter may have waiting at once; 0 leaves only queue.maxQueued. */
  public int maxQueuedPerClient() {
    return section("queue").getInteger("maxQueuedPerClient", 0);
  }

  /** "fifo" (first come, first served; the default) or "fair" (round robin across submitters). */
  public String queueDispatch() {
    return section("queue").getString("dispatch", "fair");
  }

  /** Finished tasks kept in memory; older ones are read from the store when asked for. */
  public int finishedInMemory() {
    return section("queue").getInteger("finishedInMemory", 1000);
  }

  /** Seconds a task may run before it fails; 0 lets it run as long as it takes. */
  public long taskMaxRunSeconds() {
    return section("task").getLong("maxRunSeconds", 0L);
  }

  /** Hours a finished task and its files are kept; 0 keeps them forever. */
  public double retentionHours() {
    return section("retention").getDouble("finishedHours", 168.0);
  }

  /** Bound on translation memory entries (least recently used are evicted). */
  public long memoryMaxEntries() {
    return section("memory").getLong("maxEntries", 200_000L);
  }

  /** {@code memory.scope}: "submitter" (default: each submitter reads only what it translated) or "shared". */
  public boolean memoryShared() {
    return "shared".equals(section("memory").getString("scope", "submitter"));
  }

  /** Bounds of the translation memory: entries and bytes. */
  public dev.translive.store.MemoryBound memoryBound() {
    return new dev.translive.store.MemoryBound(memoryMaxEntries(), section("memory").getLong("maxBytes", 268_435_456L));
  }

  /** The default engine id ("auto" picks apertium when installed, else demo). */
  public String defaultEngine() {
    return raw.getString("engine", "auto");
  }

  /**
   * The server's glossaries ({@code glossaries}), by language pair ("en-es"): each an object of
   * source term to target term, or the path of a CSV or TSV file as a task's {@code glossary} part.
   * @throws IllegalArgumentException for a pair, file or entry that cannot be used
   */
  public java.util.Map<String, dev.translive.translator.Glossary> glossaries() {
    java.util.Map<String, dev.translive.translator.Glossary> out = new java.util.LinkedHashMap<>();
    JsonObject all = section("glossaries");
    for (String pair : all.fieldNames()) {
      String key = pair.trim().toLowerCase(java.util.Locale.ROOT);
      if (!key.matches("[a-z]{2,3}(-[a-z]{2,4})?-[a-z]{2,3}(-[a-z]{2,4})?")) {
        throw new IllegalArgumentException("glossaries: '" + pair + "' is not a language pair such as 'en-es'");
      }
      Object value = all.getValue(pair);
      try {
        if (value instanceof JsonObject terms) {
          out.put(key, dev.translive.translator.Glossary.of(terms));
        } else if (value instanceof String path && !path.isBlank()) {
          out.put(key, dev.translive.translator.Glossary.parse(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(path.trim()))));
        } else if (value != null && !(value instanceof String)) {
          throw new IllegalArgumentException("expected an object of terms or a file path");
        }
      } catch (java.io.IOException | RuntimeException e) {
        throw new IllegalArgumentException("glossaries." + pair + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** Settings of one engine ({@code engines.<id>}), never null. */
  public JsonObject engineSettings(String id) {
    return section("engines").getJsonObject(id, new JsonObject()).copy();
  }

  /** The merged configuration, for tests and diagnostics; it may contain API keys, never log it. */
  public JsonObject raw() {
    return raw.copy();
  }

  /** A copy with some keys replaced, for tests: {@code with("queue.concurrency", 2)}. */
  public AppConfig with(String path, Object value) {
    JsonObject copy = raw.copy();
    String[] parts = path.split("\\.");
    JsonObject node = copy;
    for (int i = 0; i < parts.length - 1; i++) {
      if (node.getJsonObject(parts[i]) == null) {
        node.put(parts[i], new JsonObject());
      }
      node = node.getJsonObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
    return new AppConfig(copy);
  }

  private JsonObject section(String name) {
    return raw.getJsonObject(name, new JsonObject());
  }
}
