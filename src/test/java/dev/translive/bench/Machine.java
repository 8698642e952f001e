package dev.translive.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine a result was measured on, so figures from different hosts are never compared blindly. */
final class Machine {
  private Machine() {}

  static JsonObject describe() {
    return new JsonObject()
        .put("nproc", Runtime.getRuntime().availableProcessors())
        .put("cpu", firstValue("/proc/cpuinfo", "model name"))
        .put("total_memory_mb", kb("/proc/meminfo", "MemTotal") / 1024)
        .put("java_version", System.getProperty("java.version"))
        .put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        // The machine is shared: a high load average at the end of a run explains noisy figures.
        .put("load_average_1_5_15", loadAverage());
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return null;
    }
  }

  private static String firstValue(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (String line : lines) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux: leave it out
    }
    return null;
  }

  private static long kb(String file, String key) {
    String value = firstValue(file, key);
    return value == null ? 0 : Long.parseLong(value.replaceAll("[^0-9]", ""));
  }
}
