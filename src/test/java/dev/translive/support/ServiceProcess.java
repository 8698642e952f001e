package dev.translive.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real jar started as a child process, as an operator would run it. Its output is read line by
 * line as it is written (and copied to {@link #log}), so a test waits for a log line as an event
 * instead of polling the file.
 */
public final class ServiceProcess {
  private static final String DEFAULT_HEAP = "-Xmx512m";
  private static final Pattern READY = Pattern.compile("Translive ready(?: on http://[^:/]+:(\\d+)/)?");
  private final Process process;
  public final Path log;
  /** The HTTP port: the one asked for, or the one the service chose and printed when asked for 0. */
  public volatile int port;
  private final List<String> lines = new ArrayList<>();
  private final List<LineWaiter> waiters = new ArrayList<>();
  private boolean exited;

  private record LineWaiter(String text, Promise<String> promise) {}

  private ServiceProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts the jar with {@code env} added and waits for its ready line; {@code port} 0 takes a free one. */
  public static ServiceProcess start(Path workDir, int port, Map<String, String> env, String logName) throws Exception {
    return start(workDir, port, env, logName, DEFAULT_HEAP);
  }

  /** As {@link #start(Path, int, Map, String)} with its own heap bound, e.g. "-Xmx256m" for hostile-input tests. */
  public static ServiceProcess start(Path workDir, int port, Map<String, String> env, String logName, String heap) throws Exception {
    return startAsync(workDir, port, env, logName, heap).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  /** Starts the jar and waits for its "ready" log line (for nodes without the http role). */
  public static ServiceProcess startNode(Path workDir, int port, Map<String, String> env, String logName) throws Exception {
    return start(workDir, port, env, logName);
  }

  /**
   * Starts the jar; the future completes when the service printed that it is ready (listening, when
   * it has the http role), with {@link #port} the port it listens on, and fails when it exits first.
   */
  public static Future<ServiceProcess> startAsync(Path workDir, int port, Map<String, String> env, String logName) {
    return startAsync(workDir, port, env, logName, DEFAULT_HEAP);
  }

  public static Future<ServiceProcess> startAsync(Path workDir, int port, Map<String, String> env, String logName, String heap) {
    ServiceProcess launched;
    try {
      launched = launch(workDir, port, env, logName, heap);
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
    return launched.logLine("Translive ready").map(line -> {
      Matcher m = READY.matcher(line);
      if (m.find() && m.group(1) != null) {
        launched.port = Integer.parseInt(m.group(1));
      }
      return launched;
    });
  }

  /** The first output line containing {@code text}, past or future; fails if the process exits first. */
  public Future<String> logLine(String text) {
    synchronized (lines) {
      for (String line : lines) {
        if (line.contains(text)) {
          return Future.succeededFuture(line);
        }
      }
      if (exited) {
        return Future.failedFuture(new IllegalStateException("the service exited without '" + text + "': " + tail()));
      }
      Promise<String> promise = Promise.promise();
      waiters.add(new LineWaiter(text, promise));
      return promise.future();
    }
  }

  /** Blocking form of {@link #logLine} for tests that have not moved to composed futures. */
  public void awaitLog(String line, Duration timeout) throws Exception {
    try {
      logLine(line).toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no '" + line + "' in the log within " + timeout + ": " + tail());
    }
  }

  /** Resolves when the process has ended (its output fully read). */
  public Future<Integer> exit() {
    return Future.fromCompletionStage(process.onExit()).map(Process::exitValue);
  }

  private static ServiceProcess launch(Path workDir, int port, Map<String, String> env, String logName, String heap)
      throws Exception {
    String jar = System.getProperty("translive.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("the service jar is missing (" + jar + "); run through mvn verify");
    }
    Files.createDirectories(workDir);
    Path log = workDir.resolve(logName);
    ProcessBuilder builder = new ProcessBuilder(javaBin(), heap, "-jar", jar)
        .directory(workDir.toFile())
        .redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.put("TRANSLIVE_HTTP_PORT", String.valueOf(port));
    environment.put("TRANSLIVE_LOG_DIR", workDir.resolve("logs").toString());
    environment.put("TRANSLIVE_CONFIG", workDir.resolve("absent-config.json").toString());
    environment.put("TRANSLIVE_HTTP_WEBROOT", System.getProperty("translive.webroot", "webroot"));
    environment.putAll(env);
    ServiceProcess service = new ServiceProcess(builder.start(), log, port);
    Thread pump = new Thread(service::pump, "service-output-" + service.process.pid());
    pump.setDaemon(true);
    pump.start();
    return service;
  }

  /** Copies the output to the log file and completes the waiters whose text appears. */
  private void pump() {
    try (BufferedReader in = process.inputReader();
         Writer out = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.write('\n');
        out.flush();
        String seen = line;
        List<LineWaiter> matched = new ArrayList<>();
        synchronized (lines) {
          lines.add(seen);
          waiters.removeIf(w -> seen.contains(w.text) && matched.add(w));
        }
        matched.forEach(w -> w.promise.tryComplete(seen));
      }
    } catch (IOException e) {
      // The process was killed while a line was being read: treated as its exit below.
    } finally {
      List<LineWaiter> left;
      synchronized (lines) {
        exited = true;
        left = new ArrayList<>(waiters);
        waiters.clear();
      }
      left.forEach(w -> w.promise.tryFail(new IllegalStateException("the service exited without '" + w.text + "': " + tail())));
    }
  }

  /** One GET /health; for tests that want to see the service healthy, not only started. */
  public int health() throws Exception {
    HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
    return r.statusCode();
  }

  /** kill -9: no shutdown hook, no flush, nothing. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** kill -9 without blocking the caller; completes when the process is gone. */
  public Future<Void> killNow() {
    process.destroyForcibly();
    return Future.fromCompletionStage(process.onExit()).mapEmpty();
  }

  /** A clean stop (SIGTERM: shutdown hooks run, logs flush) without blocking the caller. */
  public Future<Void> stopNow() {
    process.destroy();
    return Future.fromCompletionStage(process.onExit()).mapEmpty();
  }

  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      kill();
    }
  }

  public long pid() {
    return process.pid();
  }

  public String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String tail() {
    try {
      String text = Files.readString(log);
      return text.substring(Math.max(0, text.length() - 3000));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /**
   * A port free at the time of asking; prefer port 0 where the server reports what it bound. Kept
   * for what must be known before start (cluster member ports, the TCP bridge port).
   */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public static Map<String, String> env(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
