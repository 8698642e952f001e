package dev.translive.queue;

import dev.translive.format.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Keeps the history in {@code <dataDir>/history.json}, written atomically off the event loop. */
final class HistoryFile {
  private final Vertx vertx;
  private final Path file;

  HistoryFile(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.file = dataDir.resolve("history.json");
  }

  Future<JsonArray> load() {
    return vertx.executeBlocking(() -> Files.exists(file)
        ? new JsonArray(Files.readString(file, StandardCharsets.UTF_8)) : new JsonArray(), false);
  }

  /** Saves in order; ordered execution keeps an older snapshot from overwriting a newer one. */
  Future<Void> save(JsonArray entries) {
    byte[] bytes = entries.encode().getBytes(StandardCharsets.UTF_8);
    return vertx.executeBlocking(() -> {
      AtomicFiles.write(file, bytes);
      return null;
    }, true);
  }
}
