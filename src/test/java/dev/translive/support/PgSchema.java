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

  /** Blocking form of {@link #createAsync}, for tests not yet composed on futures. */
  public static PgSchema create(Vertx vertx, String baseUrl, String prefix) throws Exception {
    return createAsync(vertx, baseUrl, prefix).await(30, TimeUnit.SECONDS);
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
    dropAsync(vertx).await(30, TimeUnit.SECONDS);
  }

}
