package dev.translive.progress;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The official browser client, {@code @vertx/eventbus-bridge-client.js} over {@code sockjs-client},
 * run in Node on one SockJS transport and driven line by line (probe.js). npm installs the pinned
 * packages once into {@code target/official-client}.
 */
public final class OfficialClient implements AutoCloseable {
  /** sockjs-client's names of the transports a browser may end up on. */
  public static final List<String> TRANSPORTS = List.of("websocket", "xhr-streaming", "xhr-polling", "eventsource");

  private final Process process;
  private final Writer stdin;
  public final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

  private record Waiter(Predicate<JsonObject> match, CompletableFuture<JsonObject> done) {}

  private OfficialClient(Process process) {
    this.process = process;
    this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> read(process.getInputStream()), "official-client");
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects to {@code url} (e.g. http://127.0.0.1:PORT/eventbus) on one transport; answers once open or closed. */
  public static OfficialClient connect(String url, String transport, String origin) throws Exception {
    Path dir = installed();
    ProcessBuilder pb = origin == null ? new ProcessBuilder("node", "probe.js", url, transport)
        : new ProcessBuilder("node", "probe.js", url, transport, origin);
    // Node makes inherited stdio non-blocking, which breaks the test JVM's own pipes to surefire:
    // a child of a test never shares them.
    OfficialClient client = new OfficialClient(pb.directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("probe-stderr.log").toFile())).start());
    client.await(e -> "open".equals(e.getString("event")) || "close".equals(e.getString("event")));
    return client;
  }

  private static synchronized Path installed() throws IOException, InterruptedException {
    Path dir = Path.of(System.getProperty("official.client.dir", "target/official-client")).toAbsolutePath();
    Files.createDirectories(dir);
    for (String file : List.of("package.json", "probe.js")) {
      try (InputStream in = OfficialClient.class.getResourceAsStream("/official-client/" + file)) {
        Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (!Files.isDirectory(dir.resolve("node_modules/sockjs-client"))
        || !Files.isDirectory(dir.resolve("node_modules/@vertx/eventbus-bridge-client.js"))) {
      Path log = dir.resolve("npm-install.log");
      Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
          .directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
        throw new IllegalStateException("npm install of the official client failed in " + dir + "; see " + log);
      }
    }
    return dir;
  }

  private void read(InputStream in) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (!line.startsWith("{")) {
          continue;
        }
        JsonObject event = new JsonObject(line);
        events.add(event);
        waiters.removeIf(w -> w.match.test(event) && w.done.complete(event));
      }
    } catch (IOException e) {
      // The process ended.
    }
  }

  public OfficialClient command(JsonObject command) throws IOException {
    stdin.write(command.encode() + "\n");
    stdin.flush();
    return this;
  }

  public OfficialClient register(String address) throws IOException {
    return command(new JsonObject().put("op", "register").put("address", address));
  }

  public OfficialClient send(String address, JsonObject body) throws IOException {
    return command(new JsonObject().put("op", "send").put("address", address).put("body", body));
  }

  /** The first event, past or future, that matches; a guard against hanging, not a speed bound. */
  public JsonObject await(Predicate<JsonObject> match) throws Exception {
    CompletableFuture<JsonObject> done = new CompletableFuture<>();
    waiters.add(new Waiter(match, done));
    for (JsonObject e : events) {
      if (match.test(e)) {
        done.complete(e);
      }
    }
    try {
      return done.get(60, TimeUnit.SECONDS);
    } finally {
      waiters.removeIf(w -> w.done == done);
    }
  }

  public static Predicate<JsonObject> message(Predicate<JsonObject> body) {
    return e -> "message".equals(e.getString("event")) && e.getValue("body") instanceof JsonObject b && body.test(b);
  }

  public static Predicate<JsonObject> ofType(String type) {
    return message(b -> type.equals(b.getString("type")));
  }

  public static Predicate<JsonObject> closed() {
    return e -> "close".equals(e.getString("event"));
  }

  /** Bodies of the messages received on {@code address}, in arrival order. */
  public List<JsonObject> messages(String address) {
    return events.stream().filter(e -> "message".equals(e.getString("event")) && address.equals(e.getString("address")))
        .map(e -> e.getJsonObject("body")).toList();
  }

  @Override
  public void close() throws Exception {
    try {
      command(new JsonObject().put("op", "close"));
    } catch (IOException e) {
      // Already gone.
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
