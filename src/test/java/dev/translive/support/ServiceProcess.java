package dev.translive.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The real jar started as a child process, as an operator would run it. */
public final class ServiceProcess {
  private final Process process;
  public final int port;
  public final Path log;

  private ServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the jar with {@code env} added to the environment and waits until /health answers. */
  public static ServiceProcess start(Path workDir, int port, Map<String, String> env, String logName) throws Exception {
    return start(workDir, port, env, logName, "-Xmx512m");
  }

  /** As {@link #start(Path, int, Map, String)} with its own heap bound, e.g. "-Xmx256m" for hostile-input tests. */
  public static ServiceProcess start(Path workDir, int port, Map<String, String> env, String logName, String heap) throws Exception {
    ServiceProcess service = launch(workDir, port, env, logName, heap);
    service.awaitHealthy(Duration.ofSeconds(60));
    return service;
  }

  /** Starts the jar and waits for its "ready" log line (for nodes without the http role). */
  public static ServiceProcess startNode(Path workDir, int port, Map<String, String> env, String logName) throws Exception {
    ServiceProcess service = launch(workDir, port, env, logName, "-Xmx512m");
    service.awaitLog("Translive ready", Duration.ofSeconds(90));
    return service;
  }

  public void awaitLog(String line, Duration timeout) throws Exception {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the service exited: " + tail());
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no '" + line + "' in the log: " + tail());
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
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> environment = builder.environment();
    environment.put("TRANSLIVE_HTTP_PORT", String.valueOf(port));
    environment.put("TRANSLIVE_LOG_DIR", workDir.resolve("logs").toString());
    environment.put("TRANSLIVE_CONFIG", workDir.resolve("absent-config.json").toString());
    environment.put("TRANSLIVE_HTTP_WEBROOT", System.getProperty("translive.webroot", "webroot"));
    environment.putAll(env);
    return new ServiceProcess(builder.start(), port, log);
  }

  private void awaitHealthy(Duration timeout) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the service exited: " + tail());
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the service did not become healthy: " + tail());
  }

  /** kill -9: no shutdown hook, no flush, nothing. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
      kill();
    }
  }

  public long pid() {
    return process.pid();
  }

  public String logText() throws IOException {
    return Files.readString(log);
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
