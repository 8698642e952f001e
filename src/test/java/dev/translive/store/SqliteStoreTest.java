package dev.translive.store;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, a fresh database file per test. */
class SqliteStoreTest extends StoreContractTest {
  @TempDir Path dataDir;

  @Override
  Store openStore(Vertx vertx, MemoryBound bound) {
    return new SqliteStore(vertx, dataDir, bound);
  }
}
