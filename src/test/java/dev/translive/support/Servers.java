package dev.translive.support;

import dev.translive.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Owns everything a test starts: in-process servers, the jar as child processes, fakes, bridge
 * sockets, helper processes. Each server gets a fresh directory; after the test, passed or failed,
 * everything is stopped in reverse order of start and the directories are removed. Register it as
 * an instance field after {@code @ExtendWith(VertxExtension.class)}, so it runs before vertx-junit5
 * closes the test's Vertx:
 *
 * <pre>
 * &#64;RegisterExtension final Servers servers = new Servers();
 *
 * &#64;Test void x(Vertx vertx, VertxTestContext test) {
 *   servers.start(vertx, Map.of("engines.demo.delayMs", 200))
 *       .compose(server -> server.submitText("a.txt", "Hello."))
 *       .onComplete(test.succeedingThenComplete());
 * }
 * </pre>
 */
public final class Servers implements BeforeEachCallback, AfterEachCallback {
  /** How long one stop may take before the next one is tried (the test fails then). */
  private static final long STOP_SECONDS = 30;

  @FunctionalInterface
  public interface Stopper {
    void stop() throws Exception;
  }

  private final Deque<Stopper> owned = new ArrayDeque<>();
  private Path root;
  private int dirs;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    root = Files.createTempDirectory("translive-test-");
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception failure = null;
    for (Stopper stopper = next(); stopper != null; stopper = next()) {
      try {
        stopper.stop();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    deleteTree(root);
    // A server that does not stop is a defect of its own; it is reported unless the test already failed.
    if (failure != null && context.getExecutionException().isEmpty()) {
      throw failure;
    }
  }

  private synchronized Stopper next() {
    return owned.pollLast();
  }

  /** Registers {@code stopper} to run after the test; returns {@code thing} for chaining. */
  public synchronized <T> T own(T thing, Stopper stopper) {
    owned.addLast(stopper);
    return thing;
  }

  /** Registers a future-returning stop (undeploy, close) that is awaited after the test. */
  public <T> T ownAsync(T thing, java.util.function.Supplier<Future<?>> stop) {
    return own(thing, () -> stop.get().toCompletionStage().toCompletableFuture().get(STOP_SECONDS, TimeUnit.SECONDS));
  }

  /** A new empty directory for this test, removed after it. */
  public synchronized Path dir(String name) {
    try {
      return Files.createDirectories(root.resolve(name + "-" + (++dirs)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An in-process Translive on the demo engine with {@code overrides}, in a fresh data dir. */
  public Future<TestServer> start(Vertx vertx, Map<String, Object> overrides) {
    return start(vertx, dir("server"), overrides);
  }

  /** An in-process Translive on {@code dataDir} (e.g. a second start over the same data). */
  public Future<TestServer> start(Vertx vertx, Path dataDir, Map<String, Object> overrides) {
    return start(vertx, TestServer.config(dataDir, overrides));
  }

  public Future<TestServer> start(Vertx vertx, AppConfig config) {
    return TestServer.start(vertx, config).map(server -> ownAsync(server, server::stop));
  }

  /** A server and a bridge socket watching both outbound addresses from before any upload. */
  public record Watched(TestServer server, BridgeClient watcher) {}

  public Future<Watched> startWatched(Vertx vertx, Map<String, Object> overrides) {
    return start(vertx, overrides).compose(server -> watch(vertx, server.port).map(watcher -> new Watched(server, watcher)));
  }

  /** A bridge socket registered on both outbound addresses, closed after the test. */
  public Future<BridgeClient> watch(Vertx vertx, int port) {
    return BridgeClient.watching(vertx, port).map(client -> ownAsync(client, client::close));
  }

  /** A bridge socket (with an Origin header when not null), closed after the test. */
  public Future<BridgeClient> connect(Vertx vertx, int port, String origin) {
    return BridgeClient.connect(vertx, port, origin).map(client -> ownAsync(client, client::close));
  }

  public Future<FakeOpenAi> fakeOpenAi(Vertx vertx, long latencyMs, int concurrency) {
    return FakeOpenAi.start(vertx, latencyMs, concurrency).map(fake -> ownAsync(fake, fake::close));
  }

  /**
   * The jar as a child process in a fresh directory named {@code name}, its output in
   * {@code name.log} there; ready when the future completes; killed after the test.
   */
  public Future<ServiceProcess> process(String name, int port, Map<String, String> env) {
    return process(dir(name), port, env, name + ".log");
  }

  /** The jar as a child process in {@code workDir} (e.g. a restart over the same data). */
  public Future<ServiceProcess> process(Path workDir, int port, Map<String, String> env, String logName) {
    return ServiceProcess.startAsync(workDir, port, env, logName).map(p -> own(p, p::kill));
  }

  /** Any other child process (a client script, another JVM): killed after the test if still running. */
  public Process process(ProcessBuilder builder) throws IOException {
    Process process = builder.start();
    return own(process, () -> {
      process.destroyForcibly();
      process.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
    });
  }

  /** How a helper process ended: its exit code and everything it printed. */
  public record Finished(int exitCode, String output) {}

  /**
   * Runs {@code builder} (output and errors to {@code name}.log in a fresh directory) to its end; the
   * future completes when it exits, and it is killed after the test if it has not.
   */
  public Future<Finished> run(ProcessBuilder builder, String name) {
    Path log = dir(name).resolve(name + ".log");
    try {
      Process process = process(builder.redirectErrorStream(true).redirectOutput(log.toFile()));
      return Future.fromCompletionStage(process.onExit()).map(p -> {
        try {
          return new Finished(p.exitValue(), Files.readString(log));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
