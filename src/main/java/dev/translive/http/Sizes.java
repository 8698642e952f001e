package dev.translive.http;

import java.util.Locale;

/** Sizes as users read them: "57 MB", "50.3 MB", "0.4 MB", and tiny ones (test limits) in KB. */
public final class Sizes {
  private static final double MB = 1024.0 * 1024.0;

  private Sizes() {}

  public static String mb(long bytes) {
    if (bytes < 100 * 1024) {
      return Math.max(1, Math.round(bytes / 1024.0)) + " KB";
    }
    double mb = bytes / MB;
    String text = mb >= 100 ? String.format(Locale.ROOT, "%.0f", mb) : String.format(Locale.ROOT, "%.1f", mb);
    if (text.endsWith(".0")) {
      text = text.substring(0, text.length() - 2);
    }
    return text + " MB";
  }
}
