package dev.translive.http;

import dev.translive.bus.ErrorCode;
import dev.translive.queue.TaskIntake;
import dev.translive.queue.ZipBatch;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The batches of this process (a .zip upload: one task per supported entry): which tasks, with
 * their tokens and folder paths, behind one batch token. Shared by every HTTP verticle instance
 * through a local map, bounded to {@link #MAX_BATCHES} (the oldest go first); kept in memory only,
 * so a batch is forgotten at a restart (its tasks are not).
 */
final class Batches {
  static final int MAX_BATCHES = 1000;
  private final LocalMap<String, JsonObject> map;

  Batches(Vertx vertx) {
    this.map = vertx.sharedData().getLocalMap("translive.batches");
  }

  /** Records a batch of queued tasks (the queue's replies, each with its {@code path}); the reply's batch entry. */
  JsonObject create(JsonArray tasks, List<ZipBatch.Skipped> skipped) {
    String id = "b-" + HexFormat.of().formatHex(TaskIntake.randomBytes(12));
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(TaskIntake.randomBytes(24));
    JsonArray members = new JsonArray();
    tasks.stream().map(JsonObject.class::cast).forEach(t -> members.add(new JsonObject()
        .put("task_id", t.getString("task_id")).put("token", t.getString("token")).put("path", t.getString("path"))));
    JsonArray skippedJson = new JsonArray();
    skipped.forEach(s -> skippedJson.add(new JsonObject().put("name", s.name()).put("reason", s.reason())));
    if (map.size() >= MAX_BATCHES) {
      map.entrySet().stream().min(java.util.Comparator.comparingLong(e -> e.getValue().getLong("created_at")))
          .ifPresent(oldest -> map.remove(oldest.getKey()));
    }
    map.put(id, new JsonObject().put("batch_id", id).put("token_hash", digest(token)).put("created_at", System.currentTimeMillis())
        .put("tasks", members).put("skipped", skippedJson));
    JsonArray files = new JsonArray();
    members.stream().map(JsonObject.class::cast).forEach(m -> files.add(new JsonObject().put("task_id", m.getString("task_id"))
        .put("path", m.getString("path"))));
    return new JsonObject().put("batch_id", id).put("token", token).put("files", files).put("skipped", skippedJson);
  }

  /** The batch, or 404. */
  JsonObject find(String id) {
    JsonObject batch = id == null ? null : map.get(id);
    if (batch == null) {
      throw ErrorCode.NOT_FOUND.error("no batch " + id + " (batches are kept until the service restarts)");
    }
    return batch;
  }

  /** The batch for its owner, or 403. */
  JsonObject authorize(String id, String token) {
    JsonObject batch = find(id);
    if (token == null || !MessageDigest.isEqual(HexFormat.of().parseHex(batch.getString("token_hash")),
        HexFormat.of().parseHex(digest(token)))) {
      throw ErrorCode.FORBIDDEN.error("this needs the batch's token (header X-Task-Token)");
    }
    return batch;
  }

  private static String digest(String token) {
    return HexFormat.of().formatHex(AdminGuard.digest(token));
  }
}
