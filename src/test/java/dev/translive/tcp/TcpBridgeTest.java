package dev.translive.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.Servers;
import dev.translive.support.ServiceProcess;
import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A non-JVM service (the README's Python client) submits over the TCP bridge and follows its task. */
// Waits end at the awaited event; the limit only stops a test whose event never comes (loaded CI).
@Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
@ExtendWith(VertxExtension.class)
class TcpBridgeTest {
  @RegisterExtension final Servers servers = new Servers();

  @Test
  void thePythonClientFromTheReadmeSubmitsAndSeesItsTaskComplete(Vertx vertx, VertxTestContext test) throws Exception {
    int tcpPort = ServiceProcess.freePort();
    Path doc = servers.dir("client").resolve("from-python.txt");
    Files.writeString(doc, TestServer.sentences(5));
    servers.start(vertx, Map.of("tcpBridge.port", tcpPort, "engines.demo.delayMs", 20))
        .compose(server -> {
          try {
            Process python = servers.process(new ProcessBuilder("python3",
                Path.of("docs/examples/tcp_client.py").toAbsolutePath().toString(), String.valueOf(tcpPort), doc.toString())
                .redirectErrorStream(true));
            // The client exits when it has seen its task end; its exit is the event.
            return Future.fromCompletionStage(python.onExit()).map(p -> p);
          } catch (Exception e) {
            return Future.failedFuture(e);
          }
        })
        .onComplete(test.succeeding(python -> test.verify(() -> {
          String output = new String(python.getInputStream().readAllBytes());
          assertEquals(0, python.exitValue(), output);
          assertTrue(output.contains("submitted t-"), output);
          assertTrue(output.contains("task_started"), output);
          assertTrue(output.contains("\"status\": \"completed\""), output);
          test.completeNow();
        })));
  }
}
