package dev.translive.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One benchmark's outcome: its metrics (target, measured, pass), the raw numbers and a chart,
 * written as {@code <name>.json}, {@code <name>.md} and {@code <name>.svg} under bench/results.
 */
final class BenchResult {
  private final String name;
  private final String title;
  private final List<JsonObject> metrics = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  final JsonObject config = new JsonObject();
  final JsonObject raw = new JsonObject();
  private String svg;

  BenchResult(String name, String title) {
    this.name = name;
    this.title = title;
  }

  /** A metric with a target; {@code pass} decides whether the target is met. */
  BenchResult metric(String metric, String target, double measured, String unit, boolean pass) {
    metrics.add(new JsonObject().put("metric", metric).put("target", target).put("measured", measured)
        .put("unit", unit).put("pass", pass));
    return this;
  }

  /** A figure reported for context, without a target. */
  BenchResult info(String metric, double measured, String unit) {
    metrics.add(new JsonObject().put("metric", metric).put("target", null).put("measured", measured).put("unit", unit));
    return this;
  }

  BenchResult note(String text) {
    notes.add(text);
    return this;
  }

  BenchResult chart(String svgText) {
    this.svg = svgText;
    return this;
  }

  boolean passed() {
    return metrics.stream().allMatch(m -> !m.containsKey("pass") || m.getBoolean("pass"));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("benchmark", name)
        .put("title", title)
        .put("date", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString())
        .put("machine", Machine.describe())
        .put("passed", passed())
        .put("config", config)
        .put("metrics", new JsonArray(new ArrayList<>(metrics)))
        .put("notes", new JsonArray(new ArrayList<>(notes)))
        .put("raw", raw);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("### ").append(title).append("\n\n");
    md.append("| metric | target | measured | result |\n|---|---|---|---|\n");
    for (JsonObject m : metrics) {
      String target = m.getString("target");
      md.append("| ").append(m.getString("metric"))
          .append(" | ").append(target == null ? "" : target)
          .append(" | ").append(format(m.getDouble("measured"))).append(m.getString("unit").isEmpty() ? "" : " " + m.getString("unit"))
          .append(" | ").append(!m.containsKey("pass") ? "" : m.getBoolean("pass") ? "pass" : "**MISS**")
          .append(" |\n");
    }
    if (!notes.isEmpty()) {
      md.append('\n');
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    md.append("\n![").append(title).append("](").append(name).append(".svg)\n");
    return md.toString();
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) value);
    }
    double abs = Math.abs(value);
    return String.format(Locale.ROOT, abs >= 100 ? "%,.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f", value);
  }

  /** Writes the three files and prints the table. */
  void write() {
    Path dir = Path.of(System.getProperty("bench.results", "bench/results"));
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(name + ".json"), toJson().encodePrettily() + "\n");
      Files.writeString(dir.resolve(name + ".md"), markdown());
      if (svg != null) {
        Files.writeString(dir.resolve(name + ".svg"), svg);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println(markdown());
  }
}
