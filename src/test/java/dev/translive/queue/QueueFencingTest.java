package dev.translive.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.translive.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A queue owner whose epoch has been superseded stops instead of writing over the new owner. */
@ExtendWith(VertxExtension.class)
class QueueFencingTest {
  @TempDir Path dataDir;

  @Test
  void aSupersededQueueOwnerRefusesTheTaskAndUndeploysItself(Vertx vertx) throws Exception {
    TestServer server = TestServer.start(vertx, dataDir, Map.of()).await(20, TimeUnit.SECONDS);
    String done = server.awaitFinished(server.submitText("before.txt", "One.\n").await(5, TimeUnit.SECONDS)
        .getString("task_id")).await(20, TimeUnit.SECONDS).getString("status");
    assertEquals("completed", done, "the owner works until it is superseded");
    int deployed = vertx.deploymentIDs().size();

    server.app.store().claimNextOwnership().await(5, TimeUnit.SECONDS);

    int status = server.submit("after.txt", "Two.\n", Map.of()).await(5, TimeUnit.SECONDS).statusCode();
    assertTrue(status >= 500, "the write is refused, so the task is not accepted: " + status);
    awaitDeployments(vertx, deployed - 1).await(5, TimeUnit.SECONDS);
    server.app.undeploy().await(10, TimeUnit.SECONDS);
  }

  private static Future<Void> awaitDeployments(Vertx vertx, int count) {
    return vertx.deploymentIDs().size() == count
        ? Future.succeededFuture()
        : vertx.timer(20).compose(v -> awaitDeployments(vertx, count));
  }
}
