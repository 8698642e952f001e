package dev.translive.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The service jar as its own process, so its CPU, heap and RSS are measured apart from the load. */
final class ServerProcess implements AutoCloseable {
  final Process process;
  final int port;
  final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the jar (system property bench.jar) with {@code env}; waits until /health answers. */
  static ServerProcess start(Path workDir, List<String> jvmOptions, Map<String, String> env) throws Exception {
    Path jar = Path.of(System.getProperty("bench.jar", "target/translive.jar")).toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException("the service jar " + jar + " is missing; build it with mvn -DskipTests package");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    Map<String, String> environment = new java.util.HashMap<>();
    // Embedded defaults only: a developer's conf/config.json must not change the figures.
    environment.put("TRANSLIVE_CONFIG", workDir.resolve("no-config.json").toString());
    environment.put("TRANSLIVE_DATA_DIR", workDir.resolve("data").toString());
    environment.put("TRANSLIVE_LOG_DIR", workDir.resolve("logs").toString());
    // The load generator is one address playing thousands of clients: the per-address bounds would cut it off.
    environment.put("TRANSLIVE_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "0");
    environment.put("TRANSLIVE_UPLOAD_PER_CLIENT_BYTES_PER_HOUR", "0");
    environment.putAll(env);
    return launch(command, workDir, environment, "TRANSLIVE_HTTP_PORT");
  }

  /**
   * The Node {@code ws} broadcaster (bench/node-broadcaster, installed by scripts/bench.sh): the same
   * clients against a plain "serialize once, send to each" server, for side-by-side ratios.
   */
  static ServerProcess startNode(Path workDir, Map<String, String> env) throws Exception {
    Path script = Path.of(System.getProperty("bench.node", "bench/node-broadcaster/broadcaster.js")).toAbsolutePath();
    if (!Files.exists(script.resolveSibling("node_modules/ws"))) {
      throw new IllegalStateException("npm's ws is missing next to " + script + "; scripts/bench.sh installs it");
    }
    return launch(List.of("node", script.toString()), workDir, new java.util.HashMap<>(env), "PORT");
  }

  private static ServerProcess launch(List<String> command, Path workDir, Map<String, String> env, String portVariable)
      throws Exception {
    Files.createDirectories(workDir);
    int port = freePort();
    Path log = workDir.resolve("server.log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    builder.environment().put(portVariable, String.valueOf(port));
    ServerProcess server = new ServerProcess(builder.start(), port, log);
    server.awaitHealthy(Duration.ofSeconds(90));
    return server;
  }

  long pid() {
    return process.pid();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  String health() throws IOException, InterruptedException {
    // HTTP/1.1: no h2c upgrade offer, which a WebSocket server on the same port would take for its own.
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private void awaitHealthy(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the service exited:\n" + Files.readString(log));
      }
      try {
        health();
        return;
      } catch (IOException notYet) {
        Thread.sleep(100); // start-up has no event to wait on from outside the process
      }
    }
    throw new IllegalStateException("the service did not answer /health within " + timeout);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
