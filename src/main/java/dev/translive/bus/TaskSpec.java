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
    String client,
    long characters,
    String priority,
    String glossary) {

  /** A spec with no glossary ({@code glossary}: the task's terms as TSV, see Glossary#toText; null for none). */
  public TaskSpec(String taskId, String filename, String storedPath, String format, String sourceLang, String targetLang,
      String engine, boolean bilingual, int totalSegments, String resultPath, String resultFilename,
      double nominalSecondsPerSegment, String client, long characters, String priority) {
    this(taskId, filename, storedPath, format, sourceLang, targetLang, engine, bilingual, totalSegments, resultPath,
        resultFilename, nominalSecondsPerSegment, client, characters, priority, null);
  }

  /** Dispatch priorities, highest first: groups of a higher priority start before lower ones. */
  public static final java.util.List<String> PRIORITIES = java.util.List.of("high", "normal", "low");
  public static final String NORMAL = "normal";

  /** A spec of normal priority whose characters are not counted (0: estimates fall back to segments). */
  public TaskSpec(String taskId, String filename, String storedPath, String format, String sourceLang, String targetLang,
      String engine, boolean bilingual, int totalSegments, String resultPath, String resultFilename,
      double nominalSecondsPerSegment, String client) {
    this(taskId, filename, storedPath, format, sourceLang, targetLang, engine, bilingual, totalSegments, resultPath,
        resultFilename, nominalSecondsPerSegment, client, 0, NORMAL);
  }

  /** A spec of normal priority. */
  public TaskSpec(String taskId, String filename, String storedPath, String format, String sourceLang, String targetLang,
      String engine, boolean bilingual, int totalSegments, String resultPath, String resultFilename,
      double nominalSecondsPerSegment, String client, long characters) {
    this(taskId, filename, storedPath, format, sourceLang, targetLang, engine, bilingual, totalSegments, resultPath,
        resultFilename, nominalSecondsPerSegment, client, characters, NORMAL);
  }

  /** A spec whose characters are not counted, with a priority. */
  public TaskSpec(String taskId, String filename, String storedPath, String format, String sourceLang, String targetLang,
      String engine, boolean bilingual, int totalSegments, String resultPath, String resultFilename,
      double nominalSecondsPerSegment, String client, String priority) {
    this(taskId, filename, storedPath, format, sourceLang, targetLang, engine, bilingual, totalSegments, resultPath,
        resultFilename, nominalSecondsPerSegment, client, 0, priority);
  }

  /** The priority named {@code value} (null or blank: normal). @throws TransliveException (400) for any other name */
  public static String priority(String value) {
    if (value == null || value.isBlank()) {
      return NORMAL;
    }
    String p = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (!PRIORITIES.contains(p)) {
      throw ErrorCode.BAD_REQUEST.error("priority must be low, normal or high");
    }
    return p;
  }

  /**
   * The submitter of a bus submission that names none (no {@code client} header): services, not one
   * person, so the per-submitter share does not apply to it.
   */
  public static final String UNNAMED_SERVICE = "bus";

  /**
   * {@code characters}: the characters of the document's unique segments, the work an engine does
   * (time grows with length, not with the number of segments); 0 when not counted (older tasks).
   */

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
        .put("client", client)
        .put("characters", characters)
        .put("priority", priority)
        .put("glossary", glossary);
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
        json.getString("client"),
        json.getLong("characters", 0L),
        json.getString("priority", NORMAL),
        json.getString("glossary"));
  }
}
