package dev.translive.queue;

import dev.translive.bus.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Opens an uploaded .zip into one file per supported entry, keeping each entry's folder path for
 * the batch's result. Bounded: entry count, total bytes written (counted while writing, never
 * trusting the declared sizes), each entry's size and its expansion ratio; names that are absolute
 * or climb out ({@code ..}) are skipped, and nothing is ever written under an entry's own name.
 * Blocking: call on a worker.
 */
public final class ZipBatch {
  private ZipBatch() {}

  /** @param maxRatio the most an entry may expand (bytes written per compressed byte) once past 1 MB */
  public record Limits(int maxEntries, long maxTotalBytes, long maxEntryBytes, int maxRatio) {}

  /** A supported entry: its path inside the zip, and where its bytes now are. */
  public record Entry(String path, Path file) {}

  /** An entry not translated, and why. */
  public record Skipped(String name, String reason) {}

  public record Expanded(List<Entry> entries, List<Skipped> skipped) {}

  private static final long RATIO_FLOOR_BYTES = 1 << 20;

  /**
   * @param into an existing directory for the entries' files
   * @throws dev.translive.bus.TransliveException 400 too many entries, 413 too large, 422 a zip bomb or not a zip
   */
  public static Expanded expand(Path zip, Path into, Limits limits, Predicate<String> supported) throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    long total = 0;
    try (ZipFile file = new ZipFile(zip.toFile())) {
      if (file.size() > limits.maxEntries()) {
        throw ErrorCode.BAD_REQUEST.error("the zip has " + file.size() + " entries; the limit is " + limits.maxEntries());
      }
      Enumeration<? extends ZipEntry> all = file.entries();
      int index = 0;
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        String name = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        String why = unsafe(name);
        if (why != null) {
          skipped.add(new Skipped(printable(name), why));
          continue;
        }
        if (!supported.test(name)) {
          skipped.add(new Skipped(name, "unsupported format"));
          continue;
        }
        Path target = into.resolve("entry-" + index++);
        total += copy(file, entry, target, limits, limits.maxTotalBytes() - total);
        entries.add(new Entry(name, target));
      }
    } catch (ZipException e) {
      throw ErrorCode.UNREADABLE_DOCUMENT.error("the .zip cannot be read (it is damaged or not a zip)");
    }
    return new Expanded(entries, skipped);
  }

  /** Why a name may not be used, or null. */
  static String unsafe(String name) {
    String n = name.replace('\\', '/');
    if (n.startsWith("/") || n.matches("^[A-Za-z]:.*")) {
      return "absolute path";
    }
    for (String part : n.split("/")) {
      if (part.equals("..")) {
        return "path leaves the zip's folder (..)";
      }
    }
    if (n.chars().anyMatch(c -> c < 0x20)) {
      return "control characters in the name";
    }
    return null;
  }

  private static String printable(String name) {
    String clean = name.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
  }

  /** Copies one entry, counting what is written; returns the bytes written. */
  private static long copy(ZipFile file, ZipEntry entry, Path target, Limits limits, long budget) throws IOException {
    long written = 0;
    long compressed = Math.max(1, entry.getCompressedSize());
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = file.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        written += n;
        if (written > budget) {
          throw ErrorCode.TOO_LARGE.error("the zip expands to more than " + dev.translive.http.Sizes.mb(limits.maxTotalBytes())
              + ", the limit for one upload's contents");
        }
        if (written > limits.maxEntryBytes()) {
          throw ErrorCode.TOO_LARGE.error("'" + entry.getName() + "' in the zip is larger than " + dev.translive.http.Sizes.mb(limits.maxEntryBytes()));
        }
        if (written > RATIO_FLOOR_BYTES && written / compressed > limits.maxRatio()) {
          throw ErrorCode.UNREADABLE_DOCUMENT.error("'" + entry.getName() + "' expands more than " + limits.maxRatio()
              + " times; refusing it as a zip bomb");
        }
        out.write(buffer, 0, n);
      }
    }
    return written;
  }
}
