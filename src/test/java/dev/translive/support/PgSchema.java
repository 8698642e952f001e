package dev.translive.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.concurrent.TimeUnit;

/**
 * A fresh, empty schema on a PostgreSQL server (scripts/postgres.sh), so a cluster of test or benchmark
 * nodes starts from nothing; {@link #url()} is the server URL with that schema as the search path.
 */
public record PgSchema(String baseUrl, String name) {
  /** The test server of scripts/postgres.sh. */
  public static final String DEFAULT_URL = "postgresql://translive:translive@127.0.0.1:55432/translive";

  public static PgSchema create(Vertx vertx, String baseUrl, String prefix) throws Exception {
    PgSchema schema = new PgSchema(baseUrl, prefix + Long.toHexString(System.nanoTime()));
    schema.run(vertx, "CREATE SCHEMA " + schema.name);
    return schema;
  }

  /** Creates a fresh schema; the future fails with the reason when PostgreSQL is not reachable. */
  public static Future<PgSchema> createAsync(Vertx vertx, String baseUrl, String prefix) {
    PgSchema schema = new PgSchema(baseUrl, prefix + Long.toHexString(System.nanoTime()));
    return schema.runAsync(vertx, "CREATE SCHEMA " + schema.name).map(schema);
  }

  public Future<Void> dropAsync(Vertx vertx) {
    return runAsync(vertx, "DROP SCHEMA " + name + " CASCADE");
  }

  private Future<Void> runAsync(Vertx vertx, String sql) {
    return PgConnection.connect(vertx, PgConnectOptions.fromUri(baseUrl))
        .recover(e -> Future.failedFuture(new AssertionError(
            "PostgreSQL is not reachable at " + baseUrl + "; start it with scripts/postgres.sh start", e)))
        .compose(connection -> connection.query("SET client_min_messages = warning").execute()
            .compose(v -> connection.query(sql).execute())
            .eventually(connection::close))
        .mapEmpty();
  }

  public String url() {
    return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "search_path=" + name;
  }

  public void drop(Vertx vertx) throws Exception {
    run(vertx, "DROP SCHEMA " + name + " CASCADE");
  }

  private void run(Vertx vertx, String sql) throws Exception {
    PgConnection connection;
    try {
      connection = PgConnection.connect(vertx, PgConnectOptions.fromUri(baseUrl)).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("PostgreSQL is not reachable at " + baseUrl + "; start it with scripts/postgres.sh start", e);
    }
    try {
      connection.query("SET client_min_messages = warning").execute().await(10, TimeUnit.SECONDS);
      connection.query(sql).execute().await(30, TimeUnit.SECONDS);
    } finally {
      connection.close();
    }
  }
}
