package dev.translive.bus;

import dev.translive.progress.Messages;
import dev.translive.progress.Stage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Every message that crosses the bus between this service's own verticles (the internal addresses
 * of {@link Addresses}), each defined once: a record with the one encoding and the one decoding.
 * JSON rather than a registered codec, because in a cluster these messages travel between nodes.
 */
public final class Internal {
  private Internal() {}

  /**
   * Queue owner to a translator ({@link Addresses#TRANSLATOR_RUN}): run this task. {@code pace} is
   * seconds per segment; {@code secondsPerCharacter} the prior pace per character (0: unknown), the
   * running ETA's start.
   */
  public record Run(TaskSpec spec, double pace, boolean resumed, String displayName, double progress,
      double secondsPerCharacter) {
    public Run(TaskSpec spec, double pace, boolean resumed, String displayName, double progress) {
      this(spec, pace, resumed, displayName, progress, 0);
    }

    public JsonObject toJson() {
      return new JsonObject().put("spec", spec.toJson()).put("pace", pace).put("resumed", resumed)
          .put("display_name", displayName).put("progress", progress).put("seconds_per_character", secondsPerCharacter);
    }

    public static Run fromJson(JsonObject json) {
      TaskSpec spec = TaskSpec.fromJson(json.getJsonObject("spec"));
      return new Run(spec, json.getDouble("pace"), json.getBoolean("resumed", false),
          json.getString("display_name", spec.filename()), json.getDouble("progress", 0.0),
          json.getDouble("seconds_per_character", 0.0));
    }
  }

  /** A translator's answer to {@link Run}: it took the task. */
  public record RunAccepted(String translator) {
    public JsonObject toJson() {
      return new JsonObject().put("accepted", true).put("translator", translator);
    }

    public static RunAccepted fromJson(JsonObject json) {
      return new RunAccepted(json.getString("translator"));
    }
  }

  /**
   * A translator to every queue owner ({@link Addresses#TRANSLATOR_HEARTBEAT}): the tasks it runs,
   * and the ended ones whose report the owner has not acknowledged yet.
   */
  public record Heartbeat(String translator, List<String> tasks, List<String> unreported, Map<String, Double> paces) {
    public Heartbeat(String translator, List<String> tasks, List<String> unreported) {
      this(translator, tasks, unreported, Map.of());
    }

    public JsonObject toJson() {
      JsonObject paceJson = new JsonObject();
      paces.forEach(paceJson::put);
      return new JsonObject().put("translator", translator).put("tasks", new JsonArray(List.copyOf(tasks)))
          .put("unreported", new JsonArray(List.copyOf(unreported))).put("paces", paceJson);
    }

    public static Heartbeat fromJson(JsonObject json) {
      Map<String, Double> paces = new java.util.HashMap<>();
      JsonObject paceJson = json.getJsonObject("paces");
      if (paceJson != null) {
        paceJson.forEach(e -> {
          if (e.getValue() instanceof Number n && n.doubleValue() > 0) {
            paces.put(e.getKey(), n.doubleValue());
          }
        });
      }
      return new Heartbeat(json.getString("translator"), strings(json.getJsonArray("tasks")),
          strings(json.getJsonArray("unreported")), paces);
    }
  }

  /**
   * Queue owner to translators ({@link Addresses#TRANSLATOR_CANCEL}, published): stop a task.
   * {@code translator} limits it to one translator (null: whichever runs it); {@code abandon} means
   * another translator owns the task, so this one drops it without a report or a task_completed.
   */
  public record Cancel(String taskId, String translator, boolean abandon) {
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("task_id", taskId);
      if (translator != null) {
        json.put("translator", translator);
      }
      return abandon ? json.put("abandon", true) : json;
    }

    public static Cancel fromJson(JsonObject json) {
      return new Cancel(json.getString("task_id"), json.getString("translator"), json.getBoolean("abandon", false));
    }
  }

  /** Queue owner to translators ({@link Addresses#TRANSLATOR_PAUSE}, published): stop this task at the next batch boundary. */
  public record Pause(String taskId) {
    public JsonObject toJson() {
      return new JsonObject().put("task_id", taskId);
    }

    public static Pause fromJson(JsonObject json) {
      return new Pause(required(json, "task_id"));
    }
  }

  /** A translator to the queue owner ({@link Addresses#QUEUE_PAUSED}): it stopped the task, every finished batch remembered. */
  public record Paused(String taskId, String translator) {
    public JsonObject toJson() {
      return new JsonObject().put("task_id", taskId).put("translator", translator);
    }

    public static Paused fromJson(JsonObject json) {
      return new Paused(required(json, "task_id"), json.getString("translator"));
    }
  }

  /**
   * The HTTP edge to the queue owner ({@link Addresses#QUEUE_ADMIN}) once the admin key was checked:
   * {@code action} is one of {@link #ACTIONS}; {@code taskId} for cancel and priority.
   */
  public record Admin(String action, String taskId, String priority) {
    public static final List<String> ACTIONS = List.of("tasks", "cancel", "priority", "pause_queue", "resume_queue");

    public JsonObject toJson() {
      return new JsonObject().put("action", action).put("task_id", taskId).put("priority", priority);
    }

    /** @throws TransliveException (400) for an unknown action */
    public static Admin fromJson(JsonObject json) {
      String action = required(json, "action");
      if (!ACTIONS.contains(action)) {
        throw ErrorCode.BAD_REQUEST.error("unknown admin action '" + action + "'");
      }
      return new Admin(action, json.getString("task_id"), json.getString("priority"));
    }
  }

  /**
   * A translator to the queue owner ({@link Addresses#QUEUE_FINISHED}): how a task ended.
   * {@code throughputSeconds}: the translating time its characters cost at the measured throughput
   * (each batch's call time over the calls in flight), without the start and the drain of the pipeline.
   */
  public record Report(String taskId, Stage status, String message, String error, String translator,
      int translatedSegments, double translateSeconds, long translatedCharacters, double throughputSeconds) {
    public Report(String taskId, Stage status, String message, String error, String translator, int translatedSegments,
        double translateSeconds) {
      this(taskId, status, message, error, translator, translatedSegments, translateSeconds, 0, 0);
    }

    public JsonObject toJson() {
      return new JsonObject().put("task_id", taskId).put("status", status.wire()).put("message", message)
          .put("error", error).put("translator", translator).put("translated_segments", translatedSegments)
          .put("translate_seconds", translateSeconds).put("translated_characters", translatedCharacters)
          .put("throughput_seconds", throughputSeconds);
    }

    /** @throws TransliveException (400) when the report names no task or no final status */
    public static Report fromJson(JsonObject json) {
      Stage status = Internal.stage(json.getString("status"));
      if (status == null || !status.terminal()) {
        throw ErrorCode.BAD_REQUEST.error("'status' must be completed, failed or cancelled");
      }
      return new Report(required(json, "task_id"), status, json.getString("message"), json.getString("error"),
          json.getString("translator"), json.getInteger("translated_segments", 0), json.getDouble("translate_seconds", 0.0),
          json.getLong("translated_characters", 0L), json.getDouble("throughput_seconds", 0.0));
    }
  }

  /** The queue owner's answer to a {@link Report}; not accepted: the reporter must not announce an end. */
  public record ReportAck(String taskId, String status, boolean accepted) {
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("task_id", taskId).put("status", status);
      return accepted ? json : json.put("accepted", false);
    }

    public static ReportAck fromJson(JsonObject json) {
      return new ReportAck(json.getString("task_id"), json.getString("status"), json.getBoolean("accepted", true));
    }
  }

  /**
   * What the queue owner reads of a public {@code progress_update} (built by {@link Messages}).
   * {@code stage} is null when the message names a stage this service does not know.
   */
  public record ProgressSeen(String taskId, Stage stage, double progress, Integer completedSegments,
      Integer uniqueSegments, Integer cachedSegments, Double etaSeconds) {
    /** The progress in {@code message}, or null when it is not a progress_update. */
    public static ProgressSeen fromMessage(JsonObject message) {
      if (!Messages.PROGRESS_UPDATE.equals(Messages.type(message)) || message.getJsonObject("data") == null) {
        return null;
      }
      JsonObject data = message.getJsonObject("data");
      return new ProgressSeen(Messages.taskId(message), Internal.stage(data.getString("stage")), data.getDouble("progress", 0.0),
          data.getInteger("completed_segments"), data.getInteger("unique_segments"), data.getInteger("cached_segments"),
          data.getDouble("eta_seconds"));
    }
  }

  /** A task reference with an optional token: cancel, get and authorize requests. */
  public record TaskRef(String taskId, String token) {
    public JsonObject toJson() {
      return new JsonObject().put("task_id", taskId).put("token", token);
    }

    /** @throws TransliveException (400) without a task id */
    public static TaskRef fromJson(JsonObject json) {
      return new TaskRef(required(json, "task_id"), json == null ? null : json.getString("token"));
    }
  }

  /** The stage named {@code wire}, or null for a name this service does not know. */
  public static Stage stage(String wire) {
    for (Stage s : Stage.values()) {
      if (s.wire().equals(wire)) {
        return s;
      }
    }
    return null;
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }

  private static String required(JsonObject body, String key) {
    if (body == null || !(body.getValue(key) instanceof String s) || s.isBlank()) {
      throw ErrorCode.BAD_REQUEST.error("'" + key + "' is required");
    }
    return s;
  }
}
