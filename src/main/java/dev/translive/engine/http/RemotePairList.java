package dev.translive.engine.http;

import dev.translive.engine.LanguagePair;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A language-pair list fetched from the backend in the background. Until a fetch succeeds it
 * answers with a fallback list, and asking for the pairs triggers a new fetch at most once per
 * {@code retryIntervalMs}, so a backend started after Translive is picked up without blocking.
 */
public final class RemotePairList {
  private static final Logger log = LoggerFactory.getLogger(RemotePairList.class);

  private final String engineId;
  private final Supplier<Future<List<LanguagePair>>> fetcher;
  private final List<LanguagePair> fallback;
  private final long retryIntervalMs;
  private volatile List<LanguagePair> fetched;
  private Future<Void> inFlight;
  private long lastAttemptMillis;

  public RemotePairList(String engineId, Supplier<Future<List<LanguagePair>>> fetcher, List<LanguagePair> fallback,
      long retryIntervalMs) {
    this.engineId = engineId;
    this.fetcher = fetcher;
    this.fallback = List.copyOf(fallback);
    this.retryIntervalMs = retryIntervalMs;
  }

  /** Fetches now (joining a fetch already under way); fails when the backend could not be asked. */
  public synchronized Future<Void> load() {
    if (inFlight != null) {
      return inFlight;
    }
    lastAttemptMillis = System.currentTimeMillis();
    Future<List<LanguagePair>> fetch;
    try {
      fetch = fetcher.get();
    } catch (RuntimeException e) {
      fetch = Future.failedFuture(e);
    }
    Future<Void> result = fetch
        .onSuccess(pairs -> {
          fetched = List.copyOf(pairs);
          log.info("{}: {} language pairs available", engineId, pairs.size());
        })
        .onFailure(e -> log.warn("{}: cannot list language pairs: {}", engineId, e.getMessage()))
        .mapEmpty();
    inFlight = result;
    // Registered after the assignment so an already-completed fetch clears it too.
    result.onComplete(done -> {
      synchronized (this) {
        if (inFlight == result) {
          inFlight = null;
        }
      }
    });
    return result;
  }

  /** The fetched pairs, or the fallback while none were fetched (possibly starting a fetch). */
  public List<LanguagePair> current() {
    List<LanguagePair> pairs = fetched;
    if (pairs != null) {
      return pairs;
    }
    synchronized (this) {
      if (inFlight == null && System.currentTimeMillis() - lastAttemptMillis >= retryIntervalMs) {
        load();
      }
    }
    return fallback;
  }

  public boolean loaded() {
    return fetched != null;
  }
}
