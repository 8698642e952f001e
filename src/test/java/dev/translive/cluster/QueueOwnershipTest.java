package dev.translive.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One queue owner at a time; a waiting node takes over when the owner lets go. */
@ExtendWith(VertxExtension.class)
class QueueOwnershipTest {

  @Test
  void aWaitingNodeTakesOverWhenTheOwnerStops(Vertx vertx) throws Exception {
    List<String> owners = new CopyOnWriteArrayList<>();
    Promise<Void> secondOwns = Promise.promise();
    QueueOwnership first = new QueueOwnership(vertx, () -> {
      owners.add("first");
      return Future.succeededFuture("d1");
    });
    QueueOwnership second = new QueueOwnership(vertx, () -> {
      owners.add("second");
      secondOwns.complete();
      return Future.succeededFuture("d2");
    });
    first.start(true).await(10, TimeUnit.SECONDS);
    second.start(false).await(10, TimeUnit.SECONDS);
    assertEquals(List.of("first"), owners, "the second node waits");
    assertFalse(secondOwns.future().isComplete());

    first.stop();
    secondOwns.future().await(10, TimeUnit.SECONDS);
    assertEquals(List.of("first", "second"), owners);
    second.stop();
  }

  @Test
  void anOwnerThatStepsDownLetsTheOtherNodeIn(Vertx vertx) throws Exception {
    Promise<Void> secondOwns = Promise.promise();
    QueueOwnership first = new QueueOwnership(vertx, () -> Future.succeededFuture("d1"));
    QueueOwnership second = new QueueOwnership(vertx, () -> {
      secondOwns.complete();
      return Future.succeededFuture("d2");
    });
    first.start(true).await(10, TimeUnit.SECONDS);
    second.start(false).await(10, TimeUnit.SECONDS);
    first.ownerStopped();
    secondOwns.future().await(10, TimeUnit.SECONDS);
    first.stop();
    second.stop();
  }
}
