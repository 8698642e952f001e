package dev.translive.support;

import dev.translive.cluster.ClusterSetup;
import dev.translive.config.AppConfig;
import dev.translive.config.ConfigLoader;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/**
 * Another JVM service: joins the Translive cluster (its settings from the same TRANSLIVE_CLUSTER_*
 * variables), submits a document over translive.tasks.submit and prints its lifecycle. Exit 0 when
 * the task completed.
 */
public final class ClusterServiceClient {
  private ClusterServiceClient() {}

  public static void main(String[] args) throws Exception {
    var raw = ConfigLoader.defaults();
    ConfigLoader.applyOverrides(raw, System.getenv());
    AppConfig config = new AppConfig(raw);
    Vertx vertx = ClusterSetup.clusteredVertx(Vertx.builder(), new VertxOptions(), config.cluster()).await(60, TimeUnit.SECONDS);
    Promise<JsonObject> done = Promise.promise();
    String[] taskId = new String[1];
    vertx.eventBus().<JsonObject>consumer("translive.progress", msg -> {
      JsonObject m = msg.body();
      if (m.getString("task_id").equals(taskId[0])) {
        System.out.println(m.getString("type") + " " + m.getJsonObject("data").encode());
        if ("task_completed".equals(m.getString("type"))) {
          done.tryComplete(m.getJsonObject("data"));
        }
      }
    }).completion().await(10, TimeUnit.SECONDS);
    JsonObject reply = vertx.eventBus().<JsonObject>request("translive.tasks.submit", Buffer.buffer("A service sends this.\nAnd this.\n"),
        new DeliveryOptions().addHeader("filename", "from-service.txt").addHeader("target_lang", "es").setSendTimeout(30_000))
        .await(60, TimeUnit.SECONDS).body();
    taskId[0] = reply.getString("task_id");
    System.out.println("submitted " + taskId[0]);
    JsonObject end;
    try {
      // The task may already have finished before its id was known: ask for its status as well.
      end = done.future().await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      end = vertx.eventBus().<JsonObject>request("translive.tasks.get", new JsonObject().put("task_id", taskId[0]))
          .await(10, TimeUnit.SECONDS).body();
    }
    System.out.println("final " + end.getString("status"));
    vertx.close().await(30, TimeUnit.SECONDS);
    System.exit("completed".equals(end.getString("status")) ? 0 : 1);
  }

}
