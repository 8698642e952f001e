package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.translive.support.PgSchema;
import dev.translive.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad file refuses a whole multi-file upload, and nothing of the good files stays behind: not on
 * this node's disk, and not in the store the cluster shares (PostgreSQL, from scripts/postgres.sh).
 */
@ExtendWith(VertxExtension.class)
class UploadRollbackTest {
  @TempDir Path dataDir;

  @Test
  void aRefusedUploadLeavesNoFileInTheSharedStore(Vertx vertx) throws Exception {
    String base = System.getProperty("translive.test.pgUrl", PgSchema.DEFAULT_URL);
    PgSchema schema = PgSchema.create(vertx, base, "rollback_");
    TestServer server = null;
    try {
      server = TestServer.start(vertx, dataDir, Map.of("store.type", "postgres", "store.postgresUrl", schema.url()))
          .await(30, TimeUnit.SECONDS);
      MultipartForm form = MultipartForm.create()
          .binaryFileUpload("file", "good.txt", Buffer.buffer("A sentence.\n"), "text/plain")
          .binaryFileUpload("file", "empty.txt", Buffer.buffer(), "text/plain");
      int status = server.http.post("/api/tasks").sendMultipartForm(form).await(30, TimeUnit.SECONDS).statusCode();
      assertEquals(400, status, "the empty file refuses the request");

      PgConnection db = PgConnection.connect(vertx, PgConnectOptions.fromUri(schema.url())).await(10, TimeUnit.SECONDS);
      try {
        long files = db.query("SELECT COUNT(*) FROM files").execute().await(10, TimeUnit.SECONDS)
            .iterator().next().getLong(0);
        assertEquals(0, files, "the good file's copy in the shared store was removed with the refusal");
      } finally {
        db.close().await(10, TimeUnit.SECONDS);
      }
    } finally {
      if (server != null) {
        server.app.undeploy().await(30, TimeUnit.SECONDS);
      }
      schema.drop(vertx);
    }
  }
}
