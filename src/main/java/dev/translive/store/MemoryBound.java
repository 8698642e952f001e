package dev.translive.store;

import java.nio.charset.StandardCharsets;

/**
 * The translation memory's bounds: entries, and bytes (segment plus translation, UTF-8), so a few
 * huge segments cannot fill the disk within the entry bound. Past either bound, the least recently
 * used entries go until the memory is a tenth below it, so evictions stay rare. Shared by both stores.
 */
public record MemoryBound(long maxEntries, long maxBytes) {
  /** Only an entry bound (tests and callers that do not bound bytes). */
  public static MemoryBound entries(long maxEntries) {
    return new MemoryBound(maxEntries, Long.MAX_VALUE);
  }

  /** The bytes one entry counts for. */
  static long bytes(String segment, String translation) {
    return segment.getBytes(StandardCharsets.UTF_8).length + (long) translation.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Whether the memory may be over a bound; cheap estimates first, the stores count only then. */
  boolean mayExceed(long entries, long bytes) {
    return entries > maxEntries || bytes > maxBytes;
  }

  /** Entries to drop, given the real totals; 0 when within the entry bound. */
  long entriesToDrop(long entries) {
    return entries > maxEntries ? entries - (maxEntries - maxEntries / 10) : 0;
  }

  /** Bytes to free, given the real totals; 0 when within the byte bound. */
  long bytesToDrop(long bytes) {
    return bytes > maxBytes ? bytes - (maxBytes - maxBytes / 10) : 0;
  }

  /** Drops the sources of entries evicted meanwhile. */
  static final String ORPHAN_SOURCES_SQL =
      "DELETE FROM memory_sources WHERE key_hash NOT IN (SELECT key_hash FROM translation_memory)";

  /**
   * Forgets the entries whose every source is among the expired tasks ({@code tasks}: a condition
   * on task_id), then those tasks' source rows; two statements, in this order.
   */
  static java.util.List<String> forgetSql(String tasks) {
    return java.util.List.of(
        "DELETE FROM translation_memory WHERE key_hash IN (SELECT key_hash FROM memory_sources WHERE " + tasks + ")"
            + " AND key_hash NOT IN (SELECT key_hash FROM memory_sources WHERE NOT (" + tasks + "))",
        "DELETE FROM memory_sources WHERE " + tasks);
  }

  /** Totals of the memory, in the order {@link #entriesToDrop} and {@link #bytesToDrop} take them. */
  static final String TOTALS_SQL = "SELECT COUNT(*), CAST(COALESCE(SUM(bytes), 0) AS BIGINT) FROM translation_memory";

  /**
   * Deletes the least recently used entries: the first {@code entries} of them, and as many as free
   * {@code bytes}. {@code entries} and {@code bytes} are the two parameter placeholders of the
   * dialect (? or $1, $2).
   */
  static String evictionSql(String entries, String bytes) {
    return "DELETE FROM translation_memory WHERE key_hash IN (SELECT key_hash FROM (SELECT key_hash,"
        + " ROW_NUMBER() OVER (ORDER BY last_used, key_hash) AS n,"
        + " SUM(bytes) OVER (ORDER BY last_used, key_hash) - bytes AS freed_before FROM translation_memory) lru"
        + " WHERE n <= " + entries + " OR freed_before < " + bytes + ")";
  }
}
