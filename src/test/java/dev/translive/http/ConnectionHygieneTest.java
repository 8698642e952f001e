package dev.translive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Connections that stall are closed, and upload temp files nobody will claim are swept. */
@ExtendWith(VertxExtension.class)
class ConnectionHygieneTest {
  @TempDir Path dataDir;

  @Test
  void connectionsWithoutHeadersOrWithoutTrafficAreClosedWhileActiveOnesAreServed(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of("http.headerTimeoutMs", 300, "http.idleTimeoutSeconds", 1))
        .await(20, TimeUnit.SECONDS);
    try (Socket silent = new Socket("127.0.0.1", server.port);
        Socket partial = new Socket("127.0.0.1", server.port);
        Socket idle = new Socket("127.0.0.1", server.port)) {
      partial.getOutputStream().write("GET /api/queue HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      // A complete request is answered, then the kept-alive connection is closed once idle.
      OutputStream out = idle.getOutputStream();
      out.write("GET /api/queue HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      for (Socket s : new Socket[] {silent, partial, idle}) {
        s.setSoTimeout(10_000);
      }
      assertTrue(readUntilClosed(idle.getInputStream()).startsWith("HTTP/1.1 200"), "the complete request was served");
      assertEquals("", readUntilClosed(silent.getInputStream()), "closed without a word");
      assertEquals("", readUntilClosed(partial.getInputStream()));
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void staleUploadTempFilesAreSweptAtStartAndFreshOnesKept(Vertx vertx) throws Exception {
    Path incoming = Files.createDirectories(dataDir.resolve("incoming"));
    Path stale = Files.writeString(incoming.resolve("left-by-a-crash"), "half an upload");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
    Path fresh = Files.writeString(incoming.resolve("being-written"), "an upload in progress");
    TestServer server = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    try {
      assertFalse(Files.exists(stale), "a stale temp file survived the start");
      assertTrue(Files.exists(fresh), "a live upload's file was removed");
    } finally {
      server.stop().await(10, TimeUnit.SECONDS);
    }
  }

  /** Everything the server sends until it closes the connection. */
  private static String readUntilClosed(InputStream in) throws Exception {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
