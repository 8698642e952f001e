package dev.translive.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes upload temp files nobody will claim: left by a crash, or by a request that failed while
 * its parts were still being written. A live upload writes to its file at least once per idle
 * timeout, and intake moves it out within minutes, so anything older than {@code minAgeMs} is dead.
 */
final class IncomingSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(IncomingSweeper.class);
  static final long MIN_AGE_MS = 10 * 60_000L;
  private final Vertx vertx;
  private final Path dir;
  private final long minAgeMs;

  IncomingSweeper(Vertx vertx, Path dir, long minAgeMs) {
    this.vertx = vertx;
    this.dir = dir;
    this.minAgeMs = minAgeMs;
  }

  Future<Void> sweep() {
    return vertx.executeBlocking(() -> {
      if (!Files.isDirectory(dir)) {
        return null;
      }
      long cutoff = System.currentTimeMillis() - minAgeMs;
      int removed = 0;
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          try {
            if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).toMillis() < cutoff && Files.deleteIfExists(file)) {
              removed++;
            }
          } catch (IOException gone) {
            // Claimed or removed meanwhile.
          }
        }
      }
      if (removed > 0) {
        LOG.info("Removed {} stale upload temp files from {}", removed, dir);
      }
      return null;
    }, false);
  }
}
