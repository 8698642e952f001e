package dev.translive.store;

import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema migrations shared by every store: the db/migration/V*.sql files, which run unchanged
 * on SQLite and PostgreSQL except for the {@code ${BLOB}} type placeholder, and the runner that
 * records applied versions in {@code schema_version}. Stores only say how to execute SQL.
 */
public final class Migrations {
  /** In version order; version N is the N-th file. */
  static final List<String> FILES = List.of(
      "V1__tasks_history.sql",
      "V2__translation_memory.sql",
      "V3__files_and_owner.sql",
      "V4__unique_queue_no.sql",
      "V5__memory_bytes.sql",
      "V6__memory_sources.sql");

  /** The one place the dialects differ in DDL: the binary column type. */
  public enum Dialect {
    SQLITE("BLOB"),
    POSTGRES("BYTEA");

    private final String blobType;

    Dialect(String blobType) {
      this.blobType = blobType;
    }
  }

  /** How a store runs migration SQL; each call is asynchronous and off the event loop. */
  public interface Database {
    /** Runs the statements in one transaction: all of them or none. */
    Future<Void> executeInTransaction(List<String> statements);

    /** The single number the query returns. */
    Future<Long> queryLong(String sql);
  }

  private Migrations() {}

  /**
   * Applies the pending migrations in order, each in its own transaction together with its
   * schema_version row, so a crash leaves the schema at a whole version. Running it again is a
   * no-op. Concurrent runners (cluster nodes starting together) must be serialized by the caller.
   */
  public static Future<Void> run(Dialect dialect, Database db, org.slf4j.Logger log) {
    return db.executeInTransaction(List.of(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"))
        .compose(v -> db.queryLong("SELECT COALESCE(MAX(version), 0) FROM schema_version"))
        .compose(current -> applyFrom(current.intValue() + 1, dialect, db, log));
  }

  private static Future<Void> applyFrom(int version, Dialect dialect, Database db, org.slf4j.Logger log) {
    if (version > FILES.size()) {
      return Future.succeededFuture();
    }
    List<String> statements;
    try {
      statements = new ArrayList<>(statements(FILES.get(version - 1), dialect));
    } catch (IOException e) {
      return Future.failedFuture(new UncheckedIOException(e));
    }
    statements.add("INSERT INTO schema_version (version, applied_at) VALUES (" + version + ", "
        + System.currentTimeMillis() + ")");
    return db.executeInTransaction(statements)
        .onSuccess(v -> log.info("Store schema migrated to version {}", version))
        .compose(v -> applyFrom(version + 1, dialect, db, log));
  }

  /** The statements of a migration file for a dialect, split on semicolons at line ends; comments dropped. */
  public static List<String> statements(String migration, Dialect dialect) throws IOException {
    try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + migration)) {
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
      for (String statement : sql.toString().replace("${BLOB}", dialect.blobType).split(";\\s*\n")) {
        if (!statement.isBlank()) {
          out.add(statement.strip());
        }
      }
      return out;
    }
  }
}
