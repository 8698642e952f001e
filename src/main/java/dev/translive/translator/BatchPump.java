package dev.translive.translator;

import dev.translive.engine.TranslationEngine;
import dev.translive.ops.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Translates segments batch by batch, keeping up to the engine's {@code maxInFlight} calls
 * outstanding, until every batch is done, one fails, or the run is stopped. Plain: it knows no
 * task, store or bus; the listener learns each finished batch.
 */
final class BatchPump {
  /** Told of each translated batch, in completion order. */
  interface Listener {
    void translated(List<Integer> batch, List<String> sources, List<String> translations);
  }

  /** What the pump needs of an engine: its name (for metrics), its limits and one call for one language pair. */
  record Engine(String id, int batchSize, int maxInFlight, Function<List<String>, Future<List<String>>> call) {
    static Engine of(TranslationEngine engine, String sourceLang, String targetLang) {
      return of(engine, sourceLang, targetLang, Glossary.EMPTY);
    }

    static Engine of(TranslationEngine engine, String sourceLang, String targetLang, Glossary glossary) {
      return new Engine(engine.id(), Math.max(1, engine.batchSize()), Math.max(1, engine.maxInFlight()),
          segments -> engine.translate(segments, sourceLang, targetLang, glossary));
    }
  }

  private final Engine engine;
  private final List<String> segments;
  private final List<List<Integer>> batches;
  private final Listener listener;
  private final ServiceMetrics metrics;
  private final String[] results;
  private final Promise<List<String>> done = Promise.promise();
  private int next;
  private int inFlight;
  /** Set by {@link #drain}: no new batch is sent, and the run fails with this once none is in flight. */
  private Throwable drainReason;
  private double lastCallSeconds;

  /**
   * @param segments all segments; those at {@code todo} are translated, the others come from {@code known}
   * @param known translations already known (same size as segments; null where unknown)
   */
  BatchPump(Engine engine, List<String> segments, String[] known, List<Integer> todo, Listener listener,
      ServiceMetrics metrics) {
    this.engine = engine;
    this.segments = segments;
    this.results = known.clone();
    this.batches = split(todo, engine.batchSize());
    this.listener = listener;
    this.metrics = metrics;
  }

  static List<List<Integer>> split(List<Integer> todo, int size) {
    List<List<Integer>> out = new ArrayList<>();
    for (int from = 0; from < todo.size(); from += size) {
      out.add(todo.subList(from, Math.min(todo.size(), from + size)));
    }
    return out;
  }

  /** Every segment's translation, in order; fails with the first failed batch or the stop reason. */
  Future<List<String>> run() {
    pump();
    return done.future();
  }

  /**
   * Stops at the next batch boundary: sends nothing more, lets the batches in flight finish (so
   * their translations are kept, not paid for again), then fails the run with {@code reason}.
   */
  void drain(Throwable reason) {
    drainReason = reason;
    pump();
  }

  /**
   * How long the call of the batch being reported took (read within {@link Listener#translated}).
   * With {@link Engine#maxInFlight} calls kept outstanding, it gives the throughput by Little's law.
   */
  double lastCallSeconds() {
    return lastCallSeconds;
  }

  /** Stops sending; batches in flight are abandoned. */
  void stop(Throwable reason) {
    done.tryFail(reason);
  }

  private void pump() {
    if (drainReason != null) {
      if (inFlight == 0) {
        done.tryFail(drainReason);
      }
      return;
    }
    if (next == batches.size() && inFlight == 0) {
      done.tryComplete(List.of(results));
      return;
    }
    while (!done.future().isComplete() && inFlight < engine.maxInFlight() && next < batches.size()) {
      send(batches.get(next++));
    }
  }

  private void send(List<Integer> batch) {
    List<String> sources = batch.stream().map(segments::get).toList();
    inFlight++;
    long callStarted = System.nanoTime();
    engine.call().apply(sources)
        .onComplete(ar -> {
          inFlight--;
          metrics.engineCall(engine.id(), System.nanoTime() - callStarted, ar.failed());
        })
        .onSuccess(translated -> {
          if (done.future().isComplete()) {
            return; // stopped or already failed: this batch's work is abandoned
          }
          if (translated.size() != sources.size()) {
            done.tryFail(new IllegalStateException(engine.id() + " returned " + translated.size()
                + " translations for " + sources.size() + " segments"));
            return;
          }
          for (int j = 0; j < batch.size(); j++) {
            results[batch.get(j)] = translated.get(j);
          }
          lastCallSeconds = (System.nanoTime() - callStarted) / 1e9;
          listener.translated(batch, sources, translated);
          pump();
        })
        .onFailure(done::tryFail);
  }
}
