package dev.translive.support;

import dev.translive.cluster.ClusterSetup;
import dev.translive.config.AppConfig;
import dev.translive.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * Another JVM service: joins the Translive cluster (its settings from the same TRANSLIVE_CLUSTER_*
 * variables), submits a document over translive.tasks.submit and prints its lifecycle. Exit 0 when
 * the task completed.
 *
 * <p>Arguments (optional): the number of sentences to submit (default: two lines), then
 * {@code submit-only} to exit 0 right after printing {@code submitted <task_id> <token>}.
 */
public final class ClusterServiceClient {
  private ClusterServiceClient() {}

  /** The command that runs this client in its own JVM with the test classpath. */
  public static ProcessBuilder command(String... args) {
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ClusterServiceClient.class.getName()));
    command.addAll(java.util.List.of(args));
    return new ProcessBuilder(command);
  }

  public static void main(String[] args) throws Exception {
    String text = args.length > 0 ? TestServer.sentences(Integer.parseInt(args[0])) : "A service sends this.\nAnd this.\n";
    boolean submitOnly = args.length > 1 && "submit-only".equals(args[1]);
    var raw = ConfigLoader.defaults();
    ConfigLoader.applyOverrides(raw, System.getenv());
    AppConfig config = new AppConfig(raw);
    Vertx vertx = ClusterSetup.clusteredVertx(Vertx.builder(), new VertxOptions(), config.cluster()).await(60, TimeUnit.SECONDS);
    String status = run(vertx, text, submitOnly).await(3, TimeUnit.MINUTES);
    System.out.println("final " + status);
    // Leaves the cluster before exiting, so the nodes see the member go at once.
    vertx.close().await(30, TimeUnit.SECONDS);
    System.exit("completed".equals(status) ? 0 : 1);
  }

  private static Future<String> run(Vertx vertx, String text, boolean submitOnly) {
    Promise<JsonObject> done = Promise.promise();
    String[] taskId = new String[1];
    MessageConsumer<JsonObject> progress = vertx.eventBus().consumer("translive.progress", msg -> {
      JsonObject m = msg.body();
      if (m.getString("task_id").equals(taskId[0])) {
        System.out.println(m.getString("type") + " " + m.getJsonObject("data").encode());
        if ("task_completed".equals(m.getString("type"))) {
          done.tryComplete(m.getJsonObject("data"));
        }
      }
    });
    return progress.completion()
        .compose(v -> vertx.eventBus().<JsonObject>request("translive.tasks.submit", Buffer.buffer(text),
            new DeliveryOptions().addHeader("filename", "from-service.txt").addHeader("target_lang", "es").setSendTimeout(30_000)))
        .compose(reply -> {
          taskId[0] = reply.body().getString("task_id");
          System.out.println("submitted " + taskId[0] + " " + reply.body().getString("token"));
          if (submitOnly) {
            return Future.succeededFuture("completed");
          }
          // The task may have finished before its id was known: its status answers then.
          Future<String> status = vertx.eventBus().<JsonObject>request("translive.tasks.get", new JsonObject().put("task_id", taskId[0]))
              .map(m -> m.body().getString("status"));
          return status.compose(s -> "completed".equals(s) || "failed".equals(s) || "cancelled".equals(s)
              ? Future.succeededFuture(s) : done.future().map(d -> d.getString("status")));
        });
  }
}
