package dev.translive.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.ServiceProcess;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A non-JVM service (the README's Python client) submits over the TCP bridge and follows its task. */
@ExtendWith(VertxExtension.class)
class TcpBridgeTest {
  @TempDir Path dataDir;

  @Test
  void thePythonClientFromTheReadmeSubmitsAndSeesItsTaskComplete(Vertx vertx) throws Exception {
    int tcpPort = ServiceProcess.freePort();
    TestServer server = TestServer.start(vertx, dataDir, Map.of("tcpBridge.port", tcpPort, "engines.demo.delayMs", 20))
        .await(20, TimeUnit.SECONDS);
    Path doc = dataDir.resolve("from-python.txt");
    Files.writeString(doc, TestServer.sentences(5));
    Process python = new ProcessBuilder("python3", Path.of("docs/examples/tcp_client.py").toAbsolutePath().toString(),
        String.valueOf(tcpPort), doc.toString()).redirectErrorStream(true).start();
    assertTrue(python.waitFor(30, TimeUnit.SECONDS), "the client finished");
    String output = new String(python.getInputStream().readAllBytes());
    assertEquals(0, python.exitValue(), output);
    assertTrue(output.contains("submitted t-"), output);
    assertTrue(output.contains("task_started"), output);
    assertTrue(output.contains("\"status\": \"completed\""), output);
    server.stop().await(10, TimeUnit.SECONDS);
  }
}
