package dev.translive.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node store: one SQLite file in the data dir, one connection, one worker thread, so
 * statements run in call order and never on an event loop. WAL with synchronous=NORMAL: a commit
 * survives the process being killed (kill -9), which is the failure this store is built for.
 */
public final class SqliteStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
  /** SQLite's default limit on bound parameters is 999 (older builds); stay below it. */
  private static final int IN_CHUNK = 500;

  private final Vertx vertx;
  private final Path file;
  private final MemoryBound memoryBound;
  private final WorkerExecutor worker;
  private Connection connection;
  /**
   * Upper bounds on the memory's entries and bytes, so a remember does not total the table each
   * time: only when these pass a bound are the real totals taken. Touched only on the store's one
   * thread; this store is its file's only writer.
   */
  private long entriesAtMost = -1;
  private long bytesAtMost = -1;

  public SqliteStore(Vertx vertx, Path dataDir, MemoryBound memoryBound) {
    this.vertx = vertx;
    this.file = dataDir.resolve("translive.db");
    this.memoryBound = memoryBound;
    this.worker = vertx.createSharedWorkerExecutor("translive-store-" + dataDir.toAbsolutePath().hashCode(), 1);
  }

  private <T> Future<T> run(Callable<T> work) {
    return worker.executeBlocking(work, true);
  }

  @Override
  public Future<Void> migrate() {
    return run(() -> {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (connection == null) {
        connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = connection.createStatement()) {
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=NORMAL");
          s.execute("PRAGMA busy_timeout=5000");
        }
      }
      return null;
    }).compose(v -> Migrations.run(Migrations.Dialect.SQLITE, new Migrations.Database() {
      @Override
      public Future<Void> executeInTransaction(List<String> statements) {
        return run(() -> {
          inTransaction(() -> {
            try (Statement s = connection.createStatement()) {
              for (String sql : statements) {
                s.execute(sql);
              }
            }
          });
          return null;
        });
      }

      @Override
      public Future<Long> queryLong(String sql) {
        return run(() -> {
          try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
          }
        });
      }
    }, LOG));
  }

  // ---- queue ownership -------------------------------------------------------------------

  @Override
  public Future<Long> claimOwnership(long epoch) {
    return run(() -> {
      long[] claimed = new long[1];
      inTransaction(() -> {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE queue_owner SET epoch=? WHERE id=1 AND epoch<?")) {
          ps.setLong(1, epoch);
          ps.setLong(2, epoch);
          ps.executeUpdate();
        }
        claimed[0] = currentEpoch();
      });
      return claimed[0];
    });
  }

  @Override
  public Future<Long> claimNextOwnership() {
    return run(() -> {
      long[] claimed = new long[1];
      inTransaction(() -> {
        try (Statement s = connection.createStatement()) {
          s.executeUpdate("UPDATE queue_owner SET epoch=epoch+1 WHERE id=1");
        }
        // Read in the same transaction, so another process's claim cannot slip in between.
        claimed[0] = currentEpoch();
      });
      return claimed[0];
    });
  }

  private long currentEpoch() throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT epoch FROM queue_owner WHERE id=1")) {
      if (!rs.next()) {
        throw new SQLException("queue_owner has no row; the store is not migrated");
      }
      return rs.getLong(1);
    }
  }

  /** {@link #fencedTransaction} on the store's thread. */
  private Future<Void> fenced(long epoch, SqlWork work) {
    return run(() -> {
      fencedTransaction(epoch, work);
      return null;
    });
  }

  /**
   * Runs a queue-owner write in one transaction that first checks the owner epoch. The single
   * connection serializes everything, so the check holds until the commit.
   */
  private void fencedTransaction(long epoch, SqlWork work) throws SQLException {
    inTransaction(() -> {
      long current = currentEpoch();
      if (current != epoch) {
        throw new FencedException(epoch, current);
      }
      work.run();
    });
  }

  @Override
  public Future<Void> insertTask(StoredTask t, long epoch) {
    return fenced(epoch, () -> {
      try (PreparedStatement ps = connection.prepareStatement(
          "INSERT INTO tasks (task_id, queue_no, token_hash, spec, status, stage, progress, error, message, created_at,"
              + " started_at, finished_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
        ps.setString(1, t.taskId());
        ps.setLong(2, t.queueNo());
        ps.setString(3, t.tokenHash());
        ps.setString(4, t.spec().encode());
        ps.setString(5, t.status());
        ps.setString(6, t.stage());
        ps.setDouble(7, t.progress());
        ps.setString(8, t.error());
        ps.setString(9, t.message());
        ps.setLong(10, t.createdAt());
        setLong(ps, 11, t.startedAt());
        setLong(ps, 12, t.finishedAt());
        ps.executeUpdate();
      }
      transition(t.taskId(), t.status(), null);
    });
  }

  @Override
  public Future<Void> updateTask(String taskId, String status, String stage, double progress, String error, String message,
      Long startedAt, Long finishedAt, long epoch) {
    return fenced(epoch, () -> {
      try (PreparedStatement ps = connection.prepareStatement(
          "UPDATE tasks SET status=?, stage=?, progress=?, error=?, message=?, started_at=?, finished_at=? WHERE task_id=?")) {
        ps.setString(1, status);
        ps.setString(2, stage);
        ps.setDouble(3, progress);
        ps.setString(4, error);
        ps.setString(5, message);
        setLong(ps, 6, startedAt);
        setLong(ps, 7, finishedAt);
        ps.setString(8, taskId);
        ps.executeUpdate();
      }
      transition(taskId, status, error);
    });
  }

  private void transition(String taskId, String status, String detail) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(
        "INSERT OR IGNORE INTO task_transitions (task_id, at_micros, status, detail) VALUES (?,?,?,?)")) {
      ps.setString(1, taskId);
      ps.setLong(2, System.currentTimeMillis() * 1000 + System.nanoTime() % 1000);
      ps.setString(3, status);
      ps.setString(4, detail);
      ps.executeUpdate();
    }
  }

  @Override
  public Future<List<StoredTask>> unfinishedTasks() {
    return run(() -> queryTasks("SELECT * FROM tasks WHERE status IN ('queued','running') ORDER BY queue_no", null));
  }

  @Override
  public Future<Long> highestQueueNo() {
    return run(() -> {
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(queue_no), 0) FROM tasks")) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public Future<List<StoredTask>> recentFinishedTasks(int limit) {
    return run(() -> {
      List<StoredTask> newestFirst = queryTasks(
          "SELECT * FROM tasks WHERE status NOT IN ('queued','running') ORDER BY finished_at DESC LIMIT ?", limit);
      List<StoredTask> oldestFirst = new ArrayList<>(newestFirst);
      java.util.Collections.reverse(oldestFirst);
      return oldestFirst;
    });
  }

  @Override
  public Future<List<StoredTask>> deleteFinishedBefore(long finishedBefore, long epoch) {
    return run(() -> {
      List<StoredTask> expired = new ArrayList<>();
      fencedTransaction(epoch, () -> {
        expired.addAll(queryTasks(
            "SELECT * FROM tasks WHERE status NOT IN ('queued','running') AND finished_at < ?", finishedBefore));
        List<String> statements = new ArrayList<>(List.of("DELETE FROM tasks WHERE task_id=?",
            "DELETE FROM task_transitions WHERE task_id=?"));
        statements.addAll(MemoryBound.forgetSql("task_id = ?"));
        for (StoredTask t : expired) {
          for (String sql : statements) {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
              for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setString(i, t.taskId());
              }
              ps.executeUpdate();
            }
          }
        }
      });
      return expired;
    });
  }

  @Override
  public Future<StoredTask> task(String taskId) {
    return run(() -> queryTasks("SELECT * FROM tasks WHERE task_id=?", taskId).stream().findFirst().orElse(null));
  }

  /** The tasks {@code sql} selects; a non-negative number or a string is its one parameter. */
  private List<StoredTask> queryTasks(String sql, Object parameter) throws SQLException {
    List<StoredTask> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      if (parameter instanceof String text) {
        ps.setString(1, text);
      } else if (parameter instanceof Long number && number >= 0) {
        ps.setLong(1, number);
      } else if (parameter instanceof Integer number && number >= 0) {
        ps.setLong(1, number);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StoredTask(rs.getString("task_id"), rs.getLong("queue_no"), rs.getString("token_hash"),
              new JsonObject(rs.getString("spec")), rs.getString("status"), rs.getString("stage"), rs.getDouble("progress"),
              rs.getString("error"), rs.getString("message"), rs.getLong("created_at"), longOrNull(rs, "started_at"),
              longOrNull(rs, "finished_at")));
        }
      }
    }
    return out;
  }

  @Override
  public Future<Void> addHistory(String taskId, long finishedAt, JsonObject entry, int keep, long epoch) {
    return fenced(epoch, () -> {
      try (PreparedStatement ps = connection.prepareStatement(
          "INSERT OR REPLACE INTO history (task_id, finished_at, entry) VALUES (?,?,?)")) {
        ps.setString(1, taskId);
        ps.setLong(2, finishedAt);
        ps.setString(3, entry.encode());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = connection.prepareStatement(
          "DELETE FROM history WHERE task_id NOT IN (SELECT task_id FROM history ORDER BY finished_at DESC LIMIT ?)")) {
        ps.setInt(1, keep);
        ps.executeUpdate();
      }
    });
  }

  @Override
  public Future<JsonArray> history(int limit) {
    return run(() -> {
      JsonArray out = new JsonArray();
      try (PreparedStatement ps = connection.prepareStatement("SELECT entry FROM history ORDER BY finished_at DESC LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new JsonObject(rs.getString(1)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public Future<Map<String, String>> recall(TranslationKey key, String taskId, List<String> segments) {
    if (segments.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return run(() -> {
      Map<String, String> byHash = new HashMap<>();
      for (String segment : segments) {
        byHash.put(key.hash(segment), segment);
      }
      Map<String, String> found = new HashMap<>();
      List<String> servedBy = new ArrayList<>();
      List<String> hashes = new ArrayList<>(byHash.keySet());
      long now = System.currentTimeMillis();
      inTransaction(() -> {
        for (int from = 0; from < hashes.size(); from += IN_CHUNK) {
          List<String> chunk = hashes.subList(from, Math.min(hashes.size(), from + IN_CHUNK));
          String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
          try (PreparedStatement ps = connection.prepareStatement(
              "SELECT key_hash, translation FROM translation_memory WHERE key_hash IN (" + marks + ")")) {
            for (int i = 0; i < chunk.size(); i++) {
              ps.setString(i + 1, chunk.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                found.put(byHash.get(rs.getString(1)), rs.getString(2));
                servedBy.add(rs.getString(1));
              }
            }
          }
          try (PreparedStatement ps = connection.prepareStatement(
              "UPDATE translation_memory SET last_used=? WHERE key_hash IN (" + marks + ")")) {
            ps.setLong(1, now);
            for (int i = 0; i < chunk.size(); i++) {
              ps.setString(i + 2, chunk.get(i));
            }
            ps.executeUpdate();
          }
        }
        addSources(taskId, servedBy);
      });
      return found;
    });
  }

  @Override
  public Future<Void> remember(TranslationKey key, String taskId, Map<String, String> translations) {
    if (translations.isEmpty()) {
      return Future.succeededFuture();
    }
    return run(() -> {
      long now = System.currentTimeMillis();
      long[] added = {translations.size(), 0};
      inTransaction(() -> {
        try (PreparedStatement ps = connection.prepareStatement(
            "INSERT OR REPLACE INTO translation_memory (key_hash, engine, source_lang, target_lang, translation, last_used,"
                + " bytes) VALUES (?,?,?,?,?,?,?)")) {
          for (Map.Entry<String, String> e : translations.entrySet()) {
            long bytes = MemoryBound.bytes(e.getKey(), e.getValue());
            added[1] += bytes;
            ps.setString(1, key.hash(e.getKey()));
            ps.setString(2, key.engine());
            ps.setString(3, key.sourceLang());
            ps.setString(4, key.targetLang());
            ps.setString(5, e.getValue());
            ps.setLong(6, now);
            ps.setLong(7, bytes);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        addSources(taskId, translations.keySet().stream().map(key::hash).toList());
        evictBeyondBound(added[0], added[1]);
      });
      return null;
    });
  }

  /**
   * Keeps the memory within its bounds ({@link MemoryBound}). The table is totalled only when
   * {@code entries} and {@code bytes} just added (new or replaced) may have passed a bound.
   */
  private void evictBeyondBound(long entries, long bytes) throws SQLException {
    if (entriesAtMost >= 0 && !memoryBound.mayExceed(entriesAtMost + entries, bytesAtMost + bytes)) {
      entriesAtMost += entries;
      bytesAtMost += bytes;
      return;
    }
    long[] totals = memoryTotals();
    long dropEntries = memoryBound.entriesToDrop(totals[0]);
    long dropBytes = memoryBound.bytesToDrop(totals[1]);
    if (dropEntries > 0 || dropBytes > 0) {
      try (PreparedStatement ps = connection.prepareStatement(MemoryBound.evictionSql("?", "?"))) {
        ps.setLong(1, dropEntries);
        ps.setLong(2, dropBytes);
        ps.executeUpdate();
      }
      try (Statement st = connection.createStatement()) {
        st.executeUpdate(MemoryBound.ORPHAN_SOURCES_SQL);
      }
      totals = memoryTotals();
    }
    entriesAtMost = totals[0];
    bytesAtMost = totals[1];
  }

  /** Records {@code taskId} as a source of the entries under {@code hashes}; nothing for a null task. */
  private void addSources(String taskId, List<String> hashes) throws SQLException {
    if (taskId == null || hashes.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = connection.prepareStatement("INSERT OR IGNORE INTO memory_sources (key_hash, task_id) VALUES (?,?)")) {
      for (String hash : hashes) {
        ps.setString(1, hash);
        ps.setString(2, taskId);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private long[] memoryTotals() throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(MemoryBound.TOTALS_SQL)) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  private long countMemory() throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM translation_memory")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public Future<Long> memorySize() {
    return run(this::countMemory);
  }

  // ---- files ---------------------------------------------------------------------------

  @Override
  public Future<Void> putFile(String key, Buffer content) {
    return run(() -> {
      try (PreparedStatement ps = connection.prepareStatement(
          "INSERT OR REPLACE INTO files (key, content, size, created_at) VALUES (?,?,?,?)")) {
        ps.setString(1, key);
        ps.setBytes(2, content.getBytes());
        ps.setLong(3, content.length());
        ps.setLong(4, System.currentTimeMillis());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Future<Buffer> getFile(String key) {
    return run(() -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT content FROM files WHERE key=?")) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new NoSuchFileException(key, null, "no such file in the store");
          }
          return Buffer.buffer(rs.getBytes(1));
        }
      }
    });
  }

  @Override
  public Future<Void> deleteFile(String key) {
    return run(() -> {
      try (PreparedStatement ps = connection.prepareStatement("DELETE FROM files WHERE key=?")) {
        ps.setString(1, key);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Future<Void> close() {
    Future<Void> closed = run(() -> {
      if (connection != null) {
        connection.close();
      }
      return null;
    });
    return closed.eventually(() -> worker.close());
  }

  private interface SqlWork {
    void run() throws SQLException;
  }

  private void inTransaction(SqlWork work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      work.run();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, java.sql.Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  private static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
