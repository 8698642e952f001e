package dev.translive.engine;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-running Apertium pipeline for one language pair, in null-flush mode.
 *
 * <p>Each segment is written as its own flush unit (text, {@code []}, NUL) and comes back as one
 * NUL-terminated output, in order. Writes and reads run on two dedicated threads so a large batch
 * never deadlocks on full pipe buffers and no event loop ever waits on the process.
 */
final class ApertiumPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ApertiumPipeline.class);
  private static final Pattern PROGRAMS = Pattern.compile(
      "(^|\\|\\s*)(lt-proc|apertium-tagger|apertium-pretransfer|apertium-transfer|lrx-proc|apertium-interchunk|apertium-postchunk)\\b");

  private final String pair;
  private final Process process;
  private final OutputStream stdin;
  private final ExecutorService writer;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final StringBuilder stderrTail = new StringBuilder();
  private volatile boolean dead;

  /** A segment awaiting its output, with the batch it belongs to. */
  private record Pending(Batch batch, int index) {}

  private static final class Batch {
    final Context context;
    final Promise<List<String>> promise = Promise.promise();
    final String[] results;
    int remaining;

    Batch(Context context, int size) {
      this.context = context;
      this.results = new String[size];
      this.remaining = size;
    }
  }

  private ApertiumPipeline(String pair, Process process) {
    this.pair = pair;
    this.process = process;
    this.stdin = process.getOutputStream();
    this.writer = Executors.newSingleThreadExecutor(daemon("apertium-" + pair + "-writer"));
    daemon("apertium-" + pair + "-reader").newThread(this::readLoop).start();
    daemon("apertium-" + pair + "-stderr").newThread(this::drainStderr).start();
  }

  /** Starts the pipeline of {@code modeFile} with -z on every program; blocking (process start). */
  static ApertiumPipeline start(Path modeFile) throws IOException {
    String command = nullFlushCommand(Files.readString(modeFile).trim());
    String pair = modeFile.getFileName().toString().replace(".mode", "");
    Process process = new ProcessBuilder("bash", "-c", command).start();
    LOG.info("Started Apertium pipeline {} (pid {})", pair, process.pid());
    return new ApertiumPipeline(pair, process);
  }

  /**
   * The mode's pipeline with null-flush on, unknown words left unmarked ($1 = -n), no extra tagger
   * options ($2), and (as Apertium's own wrapper does) wordbound blanks attached to their words
   * after analysis and detached before generation, so inline markup moves with its words.
   */
  static String nullFlushCommand(String mode) {
    String pipeline = mode;
    if (!pipeline.contains("apertium-wblank-attach") && ApertiumEngine.onPath("apertium-wblank-attach")) {
      int firstPipe = pipeline.indexOf('|');
      int generator = pipeline.indexOf("lt-proc $1");
      if (firstPipe > 0 && generator > firstPipe) {
        pipeline = pipeline.substring(0, firstPipe) + "| apertium-wblank-attach " + pipeline.substring(firstPipe, generator)
            + "apertium-wblank-detach | " + pipeline.substring(generator);
      }
    }
    return PROGRAMS.matcher(pipeline).replaceAll("$1$2 -z").replace("$1", "-n").replace("$2", "");
  }

  boolean alive() {
    return !dead && process.isAlive();
  }

  /**
   * Translates segments in order; completes on the caller's context. A batch that gets no answer
   * within {@code timeoutMs} ends the pipeline (a hung program), failing what waits on it; the
   * next call starts a fresh one.
   */
  Future<List<String>> translate(Context context, List<String> segments, long timeoutMs) {
    if (segments.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Batch batch = new Batch(context, segments.size());
    long timer = context.owner().setTimer(timeoutMs, id -> {
      if (!batch.promise.future().isComplete()) {
        fail("Apertium " + pair + " gave no answer within " + timeoutMs / 1000.0 + " s; it is restarted for the next batch");
        close();
      }
    });
    batch.promise.future().onComplete(ar -> context.owner().cancelTimer(timer));
    StringBuilder payload = new StringBuilder();
    synchronized (pending) {
      if (!alive()) {
        return Future.failedFuture(new IllegalStateException("Apertium pipeline " + pair + " is not running"));
      }
      for (int i = 0; i < segments.size(); i++) {
        pending.add(new Pending(batch, i));
        payload.append(ApertiumStreamFormat.encode(segments.get(i))).append('\0');
      }
      // Enqueue the write while holding the lock, so writes reach the pipe in the order of pending.
      byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
      writer.execute(() -> write(bytes));
    }
    return batch.promise.future();
  }

  private void write(byte[] bytes) {
    try {
      stdin.write(bytes);
      stdin.flush();
    } catch (IOException e) {
      fail("cannot write to the Apertium pipeline: " + e.getMessage());
    }
  }

  private void readLoop() {
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    byte[] buffer = new byte[65536];
    try (InputStream out = process.getInputStream()) {
      int n;
      while ((n = out.read(buffer)) > 0) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == 0) {
            current.write(buffer, start, i - start);
            deliver(current.toString(StandardCharsets.UTF_8));
            current.reset();
            start = i + 1;
          }
        }
        current.write(buffer, start, n - start);
      }
    } catch (IOException e) {
      LOG.debug("Apertium {} output closed: {}", pair, e.getMessage());
    }
    fail("the Apertium pipeline " + pair + " exited" + exitDetail());
  }

  private void deliver(String output) {
    Pending next;
    synchronized (pending) {
      next = pending.poll();
    }
    if (next == null) {
      return; // the trailing flushes every program emits at end of input
    }
    Batch batch = next.batch();
    batch.results[next.index()] = ApertiumStreamFormat.decode(output);
    if (--batch.remaining == 0) {
      batch.context.runOnContext(v -> batch.promise.tryComplete(List.of(batch.results)));
    }
  }

  private void fail(String reason) {
    dead = true;
    List<Batch> failed = new ArrayList<>();
    synchronized (pending) {
      for (Pending p : pending) {
        if (!failed.contains(p.batch())) {
          failed.add(p.batch());
        }
      }
      pending.clear();
    }
    for (Batch batch : failed) {
      batch.context.runOnContext(v -> batch.promise.tryFail(reason));
    }
    if (!failed.isEmpty()) {
      LOG.warn("Apertium pipeline {} failed: {}", pair, reason);
    }
  }

  private void drainStderr() {
    byte[] buffer = new byte[4096];
    try (InputStream err = process.getErrorStream()) {
      int n;
      while ((n = err.read(buffer)) > 0) {
        synchronized (stderrTail) {
          stderrTail.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
          if (stderrTail.length() > 2048) {
            stderrTail.delete(0, stderrTail.length() - 2048);
          }
        }
      }
    } catch (IOException ignored) {
      // the process is gone; readLoop reports it
    }
  }

  private String exitDetail() {
    synchronized (stderrTail) {
      String tail = stderrTail.toString().strip();
      return tail.isEmpty() ? "" : ": " + tail.substring(Math.max(0, tail.length() - 300));
    }
  }

  /** Ends the whole pipeline: bash alone would leave its children running. */
  void close() {
    dead = true;
    writer.shutdownNow();
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already closed
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
