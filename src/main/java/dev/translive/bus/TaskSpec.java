package dev.translive.bus;

import io.vertx.core.json.JsonObject;

/**
 * What a task is: the stored upload and how to translate it. Built once by {@link TaskIntake}, then
 * passed unchanged from the queue owner to a translator.
 */
public record TaskSpec(
    String taskId,
    String filename,
    String storedPath,
    String format,
    String sourceLang,
    String targetLang,
    String engine,
    boolean bilingual,
    int totalSegments,
    String resultPath,
    String resultFilename,
    double nominalSecondsPerSegment,
    String client) {

  /**
   * The submitter of a bus submission that names none (no {@code client} header): services, not one
   * person, so the per-submitter share does not apply to it.
   */
  public static final String UNNAMED_SERVICE = "bus";

  public JsonObject toJson() {
    return new JsonObject()
        .put("taskId", taskId)
        .put("filename", filename)
        .put("storedPath", storedPath)
        .put("format", format)
        .put("sourceLang", sourceLang)
        .put("targetLang", targetLang)
        .put("engine", engine)
        .put("bilingual", bilingual)
        .put("totalSegments", totalSegments)
        .put("resultPath", resultPath)
        .put("resultFilename", resultFilename)
        .put("nominalSecondsPerSegment", nominalSecondsPerSegment)
        .put("client", client);
  }

  public static TaskSpec fromJson(JsonObject json) {
    return new TaskSpec(
        json.getString("taskId"),
        json.getString("filename"),
        json.getString("storedPath"),
        json.getString("format"),
        json.getString("sourceLang"),
        json.getString("targetLang"),
        json.getString("engine"),
        json.getBoolean("bilingual", false),
        json.getInteger("totalSegments"),
        json.getString("resultPath"),
        json.getString("resultFilename"),
        json.getDouble("nominalSecondsPerSegment", -1.0),
        json.getString("client"));
  }
}
