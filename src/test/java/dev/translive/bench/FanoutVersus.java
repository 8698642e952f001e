package dev.translive.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fan-out runs of one scripts/bench.sh invocation side by side, each figure also as a ratio to
 * the Node ws broadcaster measured in the same run (fanout-node): written as fanout-versus.md.
 * Arguments: the run names in table order (default fanout-node fanout fanout-sockjs); missing ones
 * are skipped.
 */
public final class FanoutVersus {
  private FanoutVersus() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(System.getProperty("bench.results", "bench/results"));
    List<String> names = args.length > 0 ? List.of(args) : List.of("fanout-node", "fanout", "fanout-sockjs");
    List<JsonObject> runs = new ArrayList<>();
    for (String name : names) {
      Path file = dir.resolve(name + ".json");
      if (Files.exists(file)) {
        runs.add(new JsonObject(Files.readString(file)).put("__name", name));
      }
    }
    JsonObject node = runs.stream().filter(r -> r.getString("__name").startsWith("fanout-node")).findFirst().orElse(null);
    StringBuilder md = new StringBuilder("### Fan-out: Translive beside a Node ws broadcaster, same clients, same run\n\n");
    md.append("| server | clients | deliveries per server CPU-second | msgs/s per client | spread p99 | lost task_completed"
        + " | live heap per idle connection | RSS per idle connection |\n|---|---|---|---|---|---|---|---|\n");
    for (JsonObject run : runs) {
      JsonObject raw = run.getJsonObject("raw");
      md.append("| ").append(run.getString("__name")).append(" (").append(run.getJsonObject("config").getString("target", "raw"))
          .append(") | ").append(raw.getInteger("connected"))
          .append(" | ").append(withRatio(raw, node, "deliveries_per_server_cpu_second", ""))
          .append(" | ").append(withRatio(raw, node, "messages_per_client_per_second", ""))
          .append(" | ").append(BenchResult.format(num(raw.getJsonObject("spread_ms"), "p99"))).append(" ms")
          .append(ratio(num(raw.getJsonObject("spread_ms"), "p99"),
              node == null ? null : num(node.getJsonObject("raw").getJsonObject("spread_ms"), "p99")))
          .append(" | ").append(raw.getLong("lost_task_completed"))
          .append(" | ").append(kb(num(raw, "server_heap_per_idle_connection_kb")))
          .append(" | ").append(kb(num(raw, "server_rss_per_idle_connection_kb")))
          .append(" |\n");
    }
    md.append("\nRatios in brackets are to the Node ws broadcaster of the same run (higher is better for deliveries and")
        .append(" msgs/s, lower for spread). One run on a shared, noisy machine: compare the ratios, not the absolute figures.\n");
    Files.writeString(dir.resolve("fanout-versus.md"), md.toString());
    System.out.println(md);
  }

  private static String withRatio(JsonObject raw, JsonObject node, String key, String unit) {
    Double value = num(raw, key);
    if (value == null) {
      return "n/a";
    }
    return BenchResult.format(value) + unit + ratio(value, node == null ? null : num(node.getJsonObject("raw"), key));
  }

  private static String ratio(Double value, Double reference) {
    return value == null || reference == null || reference == 0 || value.isNaN() || reference.isNaN() ? ""
        : " (" + BenchResult.format(value / reference) + "×)";
  }

  /** A number of the results; NaN is written as a string there. */
  private static Double num(JsonObject json, String key) {
    Object value = json.getValue(key);
    return value instanceof Number n ? n.doubleValue() : value == null ? null : Double.valueOf(value.toString());
  }

  private static String kb(Double value) {
    return value == null || value.isNaN() ? "n/a" : BenchResult.format(value) + " KB";
  }
}
