package dev.translive.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.translive.support.PgSchema;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Migration V4 gives every task a number of its own before it makes numbers unique, on both databases. */
@ExtendWith(VertxExtension.class)
class QueueNumberMigrationTest {
  private static final List<String> BEFORE = List.of(
      "CREATE TABLE tasks (task_id TEXT PRIMARY KEY, queue_no BIGINT NOT NULL)",
      "INSERT INTO tasks VALUES ('a', 1)", "INSERT INTO tasks VALUES ('b', 2)", "INSERT INTO tasks VALUES ('c', 2)",
      "INSERT INTO tasks VALUES ('d', 2)", "INSERT INTO tasks VALUES ('e', 3)");

  @TempDir Path dir;

  @Test
  void duplicatesGetNumbersOfTheirOwnOnSqlite() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db")); Statement s = c.createStatement()) {
      for (String sql : BEFORE) {
        s.execute(sql);
      }
      for (String sql : Migrations.statements("V4__unique_queue_no.sql", Migrations.Dialect.SQLITE)) {
        s.execute(sql);
      }
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT task_id, queue_no FROM tasks ORDER BY task_id")) {
        while (rs.next()) {
          rows.add(rs.getString(1) + rs.getLong(2));
        }
      }
      check(rows);
    }
  }

  @Test
  void duplicatesGetNumbersOfTheirOwnOnPostgres(Vertx vertx) throws Exception {
    PgSchema schema = PgSchema.create(vertx, System.getProperty("translive.test.pgUrl", PgSchema.DEFAULT_URL), "v4_");
    try {
      PgConnection db = PgConnection.connect(vertx, PgConnectOptions.fromUri(schema.url())).await(10, TimeUnit.SECONDS);
      try {
        List<String> all = new ArrayList<>(BEFORE);
        all.addAll(Migrations.statements("V4__unique_queue_no.sql", Migrations.Dialect.POSTGRES));
        for (String sql : all) {
          db.query(sql).execute().await(10, TimeUnit.SECONDS);
        }
        List<String> rows = new ArrayList<>();
        for (Row r : db.query("SELECT task_id, queue_no FROM tasks ORDER BY task_id").execute().await(10, TimeUnit.SECONDS)) {
          rows.add(r.getString(0) + r.getLong(1));
        }
        check(rows);
      } finally {
        db.close().await(10, TimeUnit.SECONDS);
      }
    } finally {
      schema.drop(vertx);
    }
  }

  /** The first holder keeps its number; the later duplicates move above all others, each its own. */
  private static void check(List<String> rows) {
    assertEquals(List.of("a1", "b2", "e3"), List.of(rows.get(0), rows.get(1), rows.get(4)));
    assertEquals(5, rows.stream().map(r -> r.substring(1)).distinct().count(), "every number once: " + rows);
    assertEquals(true, Long.parseLong(rows.get(2).substring(1)) > 3 && Long.parseLong(rows.get(3).substring(1)) > 3, rows.toString());
  }
}
