package dev.translive.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real PostgreSQL, each test in a schema of its own (dropped afterwards).
 * The server comes from {@code scripts/postgres.sh start}; these tests fail, never skip, without it.
 */
class PgStoreTest extends StoreContractTest {
  static final String DEFAULT_URL = "postgresql://translive:translive@127.0.0.1:55432/translive";

  private String schema;
  private final List<String> schemas = new ArrayList<>();

  static String url() {
    String fromEnv = System.getenv("TRANSLIVE_TEST_PG_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return System.getProperty("translive.test.pgUrl", DEFAULT_URL);
  }

  @Override
  Store openStore(Vertx vertx, MemoryBound bound) {
    if (schema == null) {
      useFreshSchema();
    }
    PgConnectOptions options = PgConnectOptions.fromUri(url()).addProperty("search_path", schema);
    return new PgStore(vertx, options, PgStore.DEFAULT_POOL_SIZE, bound);
  }

  /** Stores opened from now on work in a new, empty schema. */
  private void useFreshSchema() {
    String name = "test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    admin(vertx, "CREATE SCHEMA " + name);
    schemas.add(name);
    schema = name;
  }

  @AfterEach
  void dropSchemas() {
    for (String name : schemas) {
      admin(vertx, "DROP SCHEMA " + name + " CASCADE");
    }
  }

  @Test
  void nodesStartingTogetherMigrateTheSchemaOnce() throws Exception {
    useFreshSchema();
    List<Store> nodes = List.of(openStore(vertx, MemoryBound.entries(MEMORY_BOUND)), openStore(vertx, MemoryBound.entries(MEMORY_BOUND)), openStore(vertx, MemoryBound.entries(MEMORY_BOUND)));
    try {
      await(Future.all(nodes.stream().map(Store::migrate).toList()));
      assertEquals(1L, await(nodes.get(0).claimNextOwnership()), "one queue_owner row, so V3 ran once");
    } finally {
      nodes.forEach(node -> await(node.close()));
    }
  }

  private static void admin(Vertx vertx, String sql) {
    PgConnection connection;
    try {
      connection = await(PgConnection.connect(vertx, PgConnectOptions.fromUri(url())));
    } catch (RuntimeException e) {
      fail("PostgreSQL is not reachable at " + url() + " (" + e.getMessage() + "). Start the test server with"
          + " `scripts/postgres.sh start` (make test does), or point TRANSLIVE_TEST_PG_URL / -Dtranslive.test.pgUrl"
          + " at another one.", e);
      return;
    }
    try {
      await(connection.query(sql).execute());
    } finally {
      await(connection.close());
    }
  }
}
