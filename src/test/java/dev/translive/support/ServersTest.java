package dev.translive.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@link Servers} stops what a test started even when the test fails. */
class ServersTest {
  private static final String RUN_EXAMPLE = "translive.servers.example";
  private static final List<TestServer> servers = new CopyOnWriteArrayList<>();
  private static final List<BridgeClient> sockets = new CopyOnWriteArrayList<>();
  private static final List<Process> processes = new CopyOnWriteArrayList<>();
  private static final List<Path> dirs = new CopyOnWriteArrayList<>();

  /** Fails on purpose with a server, a bridge socket and a child process running; only run from below. */
  @ExtendWith(VertxExtension.class)
  @EnabledIfSystemProperty(named = RUN_EXAMPLE, matches = "true")
  static class FailingExample {
    @RegisterExtension final Servers owner = new Servers();

    @Test
    void failsWhileEverythingRuns(Vertx vertx, VertxTestContext test) throws IOException {
      processes.add(owner.process(new ProcessBuilder("sleep", "300")));
      dirs.add(owner.dir("data"));
      owner.start(vertx, Map.of())
          .compose(server -> {
            servers.add(server);
            return owner.watch(vertx, server.port);
          })
          .onComplete(test.succeeding(socket -> {
            sockets.add(socket);
            test.failNow(new AssertionError("failing on purpose"));
          }));
    }
  }

  @Test
  void aFailingTestStillHasItsServerSocketProcessAndFilesCleanedUp() {
    System.setProperty(RUN_EXAMPLE, "true");
    try {
      EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingExample.class)).execute()
          .testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    } finally {
      System.clearProperty(RUN_EXAMPLE);
    }
    assertFalse(processes.get(0).isAlive(), "the child process was killed");
    assertTrue(sockets.get(0).closed(), "the bridge socket was closed");
    int port = servers.get(0).port;
    assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "the server no longer listens");
    assertFalse(Files.exists(dirs.get(0)), "the test's directories were removed");
  }
}
