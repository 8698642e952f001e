package dev.translive.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 5, upload: a 100 MB .txt posted to the service (its own process) must not be held in
 * its heap: the body streams to disk. Live heap (after a full GC) is read before the upload, with
 * half of it sent (the upload paused there), and after the 202; used heap is also sampled every
 * 50 ms with jstat for the peaks of the two phases: receiving the body, then checking the document
 * (which reads it) before the 202.
 *
 * <p>A first task runs for ever (demo engine, huge delay), so the big one stays queued and the
 * translator never reads it during the measurement.
 *
 * <p>Environment: BENCH_UPLOAD_MB (100), BENCH_UPLOAD_SERVER_XMX (1g).
 */
public final class UploadBench {
  private static final String BOUNDARY = "translive-bench-boundary-7MA4YWxkTrZu0gW";

  public static void main(String[] args) throws Exception {
    int megabytes = Integer.parseInt(System.getenv().getOrDefault("BENCH_UPLOAD_MB", "100"));
    String xmx = System.getenv().getOrDefault("BENCH_UPLOAD_SERVER_XMX", "1g");
    Path work = Files.createTempDirectory("translive-bench-upload-");
    Path big = work.resolve("big.txt");
    long size = writeText(big, megabytes * 1024L * 1024L);
    System.out.printf("upload: %,d bytes, server -Xmx%s%n", size, xmx);

    Map<String, String> env = Map.of(
        "TRANSLIVE_ENGINE", "demo",
        "TRANSLIVE_DEMO_DELAY_MS", "3600000",
        "TRANSLIVE_UPLOAD_MAX_BYTES", String.valueOf(size * 2 + 1_000_000));
    try (ServerProcess server = ServerProcess.start(work.resolve("server"), List.of("-Xmx" + xmx, "-XX:+UseG1GC"), env)) {
      long pid = server.pid();
      Path blocker = work.resolve("blocker.txt");
      Files.writeString(blocker, "This task keeps the translator busy.\n");
      Upload first = upload(server.port, blocker, "blocker.txt", null);
      if (first.status != 202) {
        throw new IllegalStateException("blocker refused: " + first.status + " " + first.body);
      }

      long heapBefore = ProcStats.liveHeapBytes(pid);
      long rssBefore = ProcStats.rssBytes(pid);
      HeapSampler sampler = HeapSampler.start(pid);
      long[] heapHalfway = new long[1];
      Upload upload = upload(server.port, big, "big.txt", () -> {
        try {
          heapHalfway[0] = ProcStats.liveHeapBytes(pid);
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      sampler.stop();
      long heapAfter = ProcStats.liveHeapBytes(pid);
      long rssAfter = ProcStats.rssBytes(pid);
      if (upload.status != 202) {
        throw new IllegalStateException("upload refused: " + upload.status + " " + upload.body);
      }

      double mb = 1024.0 * 1024.0;
      long peakReceiving = sampler.peakBetween(upload.startedMs, upload.bodySentMs);
      long peakChecking = sampler.peakBetween(upload.bodySentMs, upload.answeredMs);
      double halfwayDelta = (heapHalfway[0] - heapBefore) / mb;
      double settledDelta = (heapAfter - heapBefore) / mb;
      BenchResult r = new BenchResult("upload", "Upload: " + megabytes + " MB .txt, server heap");
      r.config.put("bytes", size).put("server_xmx", xmx).put("gc", "G1");
      r.metric("live heap growth with half the body received", "< 32 MB", halfwayDelta, "MB", halfwayDelta < 32)
          .metric("live heap growth after the 202", "< 32 MB", settledDelta, "MB", settledDelta < 32)
          .info("used heap peak while receiving (incl. garbage)", (peakReceiving - heapBefore) / mb, "MB above live before")
          .info("used heap peak while checking the document, before the 202", (peakChecking - heapBefore) / mb,
              "MB above live before")
          .info("time to send the body", (upload.bodySentMs - upload.startedMs - upload.pausedMs) / 1000.0, "s")
          .info("time from body sent to 202 (document check)", (upload.answeredMs - upload.bodySentMs) / 1000.0, "s")
          .info("RSS growth", (rssAfter - rssBefore) / mb, "MB");
      r.note("Live heap is read with jcmd GC.run + GC.heap_info; the upload is paused at half while it is read.");
      r.note("Peaks are jstat used-heap samples every 50 ms and include garbage not yet collected.");
      r.raw.put("heap_live_before", heapBefore).put("heap_live_halfway", heapHalfway[0]).put("heap_live_after", heapAfter)
          .put("heap_used_peak_receiving", peakReceiving).put("heap_used_peak_checking", peakChecking)
          .put("rss_before", rssBefore).put("rss_after", rssAfter).put("status", upload.status)
          .put("reply", upload.body).put("paused_ms", upload.pausedMs)
          .put("samples", sampler.json(upload.startedMs));
      List<double[]> points = sampler.points(upload.startedMs);
      double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
      double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
      r.chart(Svg.lines("Server used heap during a " + megabytes + " MB upload", "seconds since the upload began", "MB",
          List.of(new Svg.Series("used heap (jstat, 50 ms), incl. garbage", xs, ys)), false, heapBefore / mb + 32,
          "live heap before + 32 MB"));
      r.write();
    }
    System.exit(0);
  }

  /** Lines of English until {@code bytes}; returns the size written. */
  private static long writeText(Path file, long bytes) throws IOException {
    String[] lines = EnglishText.document(2_000, 5).split("\n");
    long written = 0;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; written < bytes; i++) {
        String line = lines[i % lines.length] + "\n";
        out.write(line);
        written += line.length();
      }
    }
    return written;
  }

  private record Upload(int status, String body, long startedMs, long bodySentMs, long answeredMs, long pausedMs) {}

  /**
   * A multipart POST over a plain socket, so the moment the last body byte leaves is known, and the
   * body can be paused at half for {@code atHalf}.
   */
  private static Upload upload(int port, Path file, String filename, Runnable atHalf) throws IOException {
    long size = Files.size(file);
    byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
        + "\"\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    long length = head.length + size + tail.length;
    try (Socket socket = new Socket("127.0.0.1", port); InputStream in = Files.newInputStream(file)) {
      OutputStream out = socket.getOutputStream();
      long started = System.currentTimeMillis();
      out.write(("POST /api/tasks HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: multipart/form-data; boundary="
          + BOUNDARY + "\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(head);
      byte[] chunk = new byte[64 * 1024];
      long sent = 0;
      long paused = 0;
      boolean halfDone = atHalf == null;
      int n;
      while ((n = in.read(chunk)) > 0) {
        out.write(chunk, 0, n);
        sent += n;
        if (!halfDone && sent >= size / 2) {
          halfDone = true;
          out.flush();
          long pauseStart = System.currentTimeMillis();
          atHalf.run();
          paused = System.currentTimeMillis() - pauseStart;
        }
      }
      out.write(tail);
      out.flush();
      long bodySent = System.currentTimeMillis();
      byte[] response = socket.getInputStream().readAllBytes();
      long answered = System.currentTimeMillis();
      String text = new String(response, StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring(9, 12));
      String body = text.contains("\r\n\r\n") ? text.substring(text.indexOf("\r\n\r\n") + 4) : "";
      return new Upload(status, body, started, bodySent, answered, paused);
    }
  }

  /** jstat -gc every 50 ms: used heap (survivors + eden + old) with the time it was read. */
  private static final class HeapSampler {
    private final Process process;
    private final Thread reader;
    private final List<long[]> samples = new ArrayList<>(); // {time ms, used bytes}

    private HeapSampler(Process process) {
      this.process = process;
      this.reader = new Thread(this::read, "jstat-reader");
      this.reader.setDaemon(true);
      this.reader.start();
    }

    static HeapSampler start(long pid) throws IOException {
      return new HeapSampler(new ProcessBuilder("jstat", "-gc", String.valueOf(pid), "50").redirectErrorStream(true).start());
    }

    private void read() {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
        List<String> header = Arrays.asList(lines.readLine().trim().split("\\s+"));
        int[] used = {header.indexOf("S0U"), header.indexOf("S1U"), header.indexOf("EU"), header.indexOf("OU")};
        String line;
        while ((line = lines.readLine()) != null) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length != header.size() || !Character.isDigit(fields[0].charAt(0))) {
            continue; // a repeated header
          }
          double kb = 0;
          for (int index : used) {
            kb += Double.parseDouble(fields[index]);
          }
          synchronized (samples) {
            samples.add(new long[] {System.currentTimeMillis(), (long) (kb * 1024)});
          }
        }
      } catch (IOException | RuntimeException e) {
        // jstat ended
      }
    }

    void stop() throws InterruptedException {
      process.destroy();
      process.waitFor();
      reader.join(2000);
    }

    long peakBetween(long fromMs, long toMs) {
      synchronized (samples) {
        return samples.stream().filter(s -> s[0] >= fromMs && s[0] <= toMs).mapToLong(s -> s[1]).max().orElse(0);
      }
    }

    List<double[]> points(long originMs) {
      synchronized (samples) {
        return samples.stream().map(s -> new double[] {(s[0] - originMs) / 1000.0, s[1] / 1048576.0}).toList();
      }
    }

    JsonArray json(long originMs) {
      JsonArray out = new JsonArray();
      points(originMs).forEach(p -> out.add(new JsonArray().add(Math.round(p[0] * 1000) / 1000.0).add(Math.round(p[1] * 10) / 10.0)));
      return out;
    }
  }
}
