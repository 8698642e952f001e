package dev.translive.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
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
  static final List<String> MIGRATIONS = List.of("V1__tasks_history.sql", "V2__translation_memory.sql");
  /** SQLite's default limit on bound parameters is 999 (older builds); stay below it. */
  private static final int IN_CHUNK = 500;

  private final Vertx vertx;
  private final Path file;
  private final long maxMemoryEntries;
  private final WorkerExecutor worker;
  private Connection connection;

  public SqliteStore(Vertx vertx, Path dataDir, long maxMemoryEntries) {
    this.vertx = vertx;
    this.file = dataDir.resolve("translive.db");
    this.maxMemoryEntries = maxMemoryEntries;
    this.worker = vertx.createSharedWorkerExecutor("translive-store-" + dataDir.toAbsolutePath().hashCode(), 1);
  }

  private <T> Future<T> run(Callable<T> work) {
    return worker.executeBlocking(work, true);
  }

  @Override
  public Future<Void> migrate() {
    return run(() -> {
      Files.createDirectories(file.toAbsolutePath().getParent());
      connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
      }
      int current = 0;
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
        if (rs.next()) {
          current = rs.getInt(1);
        }
      }
      connection.setAutoCommit(false);
      for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
        try (Statement s = connection.createStatement()) {
          for (String sql : statements(MIGRATIONS.get(v - 1))) {
            s.execute(sql);
          }
          s.execute("INSERT INTO schema_version (version, applied_at) VALUES (" + v + ", " + System.currentTimeMillis() + ")");
          connection.commit();
          LOG.info("Store schema migrated to version {}", v);
        } catch (SQLException e) {
          connection.rollback();
          throw e;
        }
      }
      connection.setAutoCommit(true);
      return null;
    });
  }

  /** The statements of a migration file, split on semicolons at line ends; comments dropped. */
  public static List<String> statements(String migration) throws IOException {
    try (InputStream in = SqliteStore.class.getResourceAsStream("/db/migration/" + migration)) {
      if (in == null) {
        throw new IOException("migration " + migration + " missing");
      }
      StringBuilder sql = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.strip().startsWith("--")) {
          sql.append(line).append('\n');
        }
      }
      List<String> out = new ArrayList<>();
      for (String statement : sql.toString().split(";\\s*\n")) {
        if (!statement.isBlank()) {
          out.add(statement.strip());
        }
      }
      return out;
    }
  }

  @Override
  public Future<Void> insertTask(StoredTask t) {
    return run(() -> {
      inTransaction(() -> {
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
      return null;
    });
  }

  @Override
  public Future<Void> updateTask(String taskId, String status, String stage, double progress, String error, String message,
      Long startedAt, Long finishedAt) {
    return run(() -> {
      inTransaction(() -> {
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
      return null;
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
    return run(() -> queryTasks("SELECT * FROM tasks WHERE status IN ('queued','running') ORDER BY queue_no", -1));
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
  public Future<List<StoredTask>> deleteFinishedBefore(long finishedBefore) {
    return run(() -> {
      List<StoredTask> expired = queryTasks(
          "SELECT * FROM tasks WHERE status NOT IN ('queued','running') AND finished_at < ?", finishedBefore);
      inTransaction(() -> {
        for (StoredTask t : expired) {
          for (String table : List.of("tasks", "task_transitions")) {
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + table + " WHERE task_id=?")) {
              ps.setString(1, t.taskId());
              ps.executeUpdate();
            }
          }
        }
      });
      return expired;
    });
  }

  private List<StoredTask> queryTasks(String sql, long parameter) throws SQLException {
    List<StoredTask> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      if (parameter >= 0) {
        ps.setLong(1, parameter);
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
  public Future<Void> addHistory(String taskId, long finishedAt, JsonObject entry, int keep) {
    return run(() -> {
      inTransaction(() -> {
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
      return null;
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
  public Future<Map<String, String>> recall(TranslationKey key, List<String> segments) {
    if (segments.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return run(() -> {
      Map<String, String> byHash = new HashMap<>();
      for (String segment : segments) {
        byHash.put(hash(key, segment), segment);
      }
      Map<String, String> found = new HashMap<>();
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
      });
      return found;
    });
  }

  @Override
  public Future<Void> remember(TranslationKey key, Map<String, String> translations) {
    if (translations.isEmpty()) {
      return Future.succeededFuture();
    }
    return run(() -> {
      long now = System.currentTimeMillis();
      inTransaction(() -> {
        try (PreparedStatement ps = connection.prepareStatement(
            "INSERT OR REPLACE INTO translation_memory (key_hash, engine, source_lang, target_lang, translation, last_used)"
                + " VALUES (?,?,?,?,?,?)")) {
          for (Map.Entry<String, String> e : translations.entrySet()) {
            ps.setString(1, hash(key, e.getKey()));
            ps.setString(2, key.engine());
            ps.setString(3, key.sourceLang());
            ps.setString(4, key.targetLang());
            ps.setString(5, e.getValue());
            ps.setLong(6, now);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        evictBeyondBound();
      });
      return null;
    });
  }

  /** Keeps the memory at its bound by dropping the least recently used tenth when it is over. */
  private void evictBeyondBound() throws SQLException {
    long count;
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM translation_memory")) {
      rs.next();
      count = rs.getLong(1);
    }
    if (count > maxMemoryEntries) {
      long drop = count - maxMemoryEntries + maxMemoryEntries / 10;
      try (PreparedStatement ps = connection.prepareStatement("DELETE FROM translation_memory WHERE key_hash IN"
          + " (SELECT key_hash FROM translation_memory ORDER BY last_used LIMIT ?)")) {
        ps.setLong(1, drop);
        ps.executeUpdate();
      }
    }
  }

  @Override
  public Future<Long> memorySize() {
    return run(() -> {
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM translation_memory")) {
        rs.next();
        return rs.getLong(1);
      }
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

  /** The memory key: a hash of engine, model, languages and the segment. */
  public static String hash(TranslationKey key, String segment) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : List.of(key.engine(), key.model(), key.sourceLang(), key.targetLang(), segment)) {
        digest.update(part.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
