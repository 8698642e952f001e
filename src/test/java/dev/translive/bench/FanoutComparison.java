package dev.translive.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The single-node and two-node fan-out results side by side: every metric of fanout.json that
 * fanout2.json reports too, matched by name, written as fanout-compare.md for summary.md.
 */
public final class FanoutComparison {
  private FanoutComparison() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(System.getProperty("bench.results", "bench/results"));
    Path one = dir.resolve("fanout.json");
    Path two = dir.resolve("fanout2.json");
    if (!Files.exists(one) || !Files.exists(two)) {
      System.out.println("fan-out comparison skipped: needs " + one + " and " + two);
      return;
    }
    String table = table(new JsonObject(Files.readString(one)), new JsonObject(Files.readString(two)));
    Files.writeString(dir.resolve("fanout-compare.md"), table);
    System.out.println(table);
  }

  static String table(JsonObject single, JsonObject cluster) {
    Map<String, JsonObject> clusterMetrics = new LinkedHashMap<>();
    cluster.getJsonArray("metrics").forEach(m -> clusterMetrics.put(((JsonObject) m).getString("metric"), (JsonObject) m));
    StringBuilder md = new StringBuilder("### Fan-out: single node vs two nodes\n\n");
    md.append("| metric | target | single node | two nodes | two / single |\n|---|---|---|---|---|\n");
    for (Object o : single.getJsonArray("metrics")) {
      JsonObject s = (JsonObject) o;
      JsonObject c = clusterMetrics.get(s.getString("metric"));
      if (c == null) {
        continue;
      }
      double a = s.getDouble("measured");
      double b = c.getDouble("measured");
      String target = s.getString("target");
      md.append("| ").append(s.getString("metric"))
          .append(" | ").append(target == null ? "" : target)
          .append(" | ").append(cell(s)).append(" | ").append(cell(c))
          .append(" | ").append(a == 0 || Double.isNaN(a) || Double.isNaN(b) ? "" : BenchResult.format(b / a))
          .append(" |\n");
    }
    md.append('\n')
        .append("- Single node: ").append(describe(single)).append('\n')
        .append("- Two nodes: ").append(describe(cluster)).append('\n')
        .append("- Both nodes run on the same cores as the single node (and the load generator): two nodes cannot be")
        .append(" faster in absolute terms; the per-delivery and per-connection rows are the ones to compare.")
        .append(" Two-node CPU, heap and RSS are sums over both processes.\n");
    return md.toString();
  }

  private static String cell(JsonObject metric) {
    String unit = metric.getString("unit");
    String value = BenchResult.format(metric.getDouble("measured")) + (unit.isEmpty() ? "" : " " + unit);
    return !metric.containsKey("pass") ? value : value + (metric.getBoolean("pass") ? " (pass)" : " (**MISS**)");
  }

  private static String describe(JsonObject result) {
    JsonObject config = result.getJsonObject("config");
    return String.format("%s, %,d clients, %s, load average at the end %s", result.getString("date"),
        config.getInteger("clients"), config.getValue("node_roles", "one process with every role, SQLite"),
        result.getJsonObject("machine").getString("load_average_1_5_15"));
  }
}
