package dev.translive.bench;

import java.util.List;
import java.util.Locale;

/** Plain SVG charts (bars, lines) so results render on GitHub without any charting library. */
final class Svg {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 360;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 60;
  private static final String[] COLOURS = {"#3b6ea8", "#e08a2e", "#4a9a5b", "#b5484b", "#7d5ba6"};

  private Svg() {}

  record Series(String name, double[] xs, double[] ys) {}

  /** Vertical bars, one per label; a dashed red line at {@code target} when it is not null. */
  static String bars(String title, String unit, List<String> labels, double[] values, Double target) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    if (target != null) {
      max = Math.max(max, target);
    }
    max = niceCeiling(max);
    StringBuilder svg = open(title);
    yAxis(svg, 0, max, unit);
    int plotW = WIDTH - LEFT - RIGHT;
    double slot = plotW / (double) values.length;
    for (int i = 0; i < values.length; i++) {
      double h = scale(values[i], 0, max, plotHeight());
      double x = LEFT + i * slot + slot * 0.15;
      svg.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/>%n",
          x, TOP + plotHeight() - h, slot * 0.7, h, COLOURS[i % COLOURS.length]));
      svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%.1f' text-anchor='middle' font-size='11'>%s</text>%n",
          x + slot * 0.35, TOP + plotHeight() - h - 4, esc(BenchResult.format(values[i]))));
      svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle' font-size='11'>%s</text>%n",
          x + slot * 0.35, TOP + plotHeight() + 16, esc(labels.get(i))));
    }
    if (target != null) {
      double y = TOP + plotHeight() - scale(target, 0, max, plotHeight());
      svg.append(String.format(Locale.ROOT,
          "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#c0392b' stroke-dasharray='6 4'/>%n", LEFT, y, WIDTH - RIGHT, y));
      svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end' font-size='11' fill='#c0392b'>target %s</text>%n",
          WIDTH - RIGHT, y - 4, esc(BenchResult.format(target))));
    }
    return close(svg);
  }

  /** Lines through points; {@code logX} plots x on a log10 scale (for sizes spanning decades). */
  static String lines(String title, String xLabel, String yUnit, List<Series> series, boolean logX, Double target,
      String targetLabel) {
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = 0;
    for (Series s : series) {
      for (int i = 0; i < s.xs().length; i++) {
        double x = logX ? Math.log10(Math.max(1, s.xs()[i])) : s.xs()[i];
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, s.ys()[i]);
      }
    }
    if (target != null) {
      maxY = Math.max(maxY, target);
    }
    if (minX >= maxX) {
      maxX = minX + 1;
    }
    maxY = niceCeiling(maxY);
    StringBuilder svg = open(title);
    yAxis(svg, 0, maxY, yUnit);
    int plotW = WIDTH - LEFT - RIGHT;
    for (int t = 0; t <= 4; t++) {
      double xv = minX + (maxX - minX) * t / 4;
      double label = logX ? Math.pow(10, xv) : xv;
      svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle' font-size='11'>%s</text>%n",
          LEFT + plotW * t / 4.0, TOP + plotHeight() + 16, esc(BenchResult.format(Math.round(label * 10) / 10.0))));
    }
    svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle' font-size='12'>%s</text>%n",
        LEFT + plotW / 2, TOP + plotHeight() + 36, esc(xLabel)));
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < s.xs().length; i++) {
        double x = logX ? Math.log10(Math.max(1, s.xs()[i])) : s.xs()[i];
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + scale(x, minX, maxX, plotW),
            TOP + plotHeight() - scale(s.ys()[i], 0, maxY, plotHeight())));
      }
      String colour = COLOURS[k % COLOURS.length];
      svg.append("<polyline fill='none' stroke-width='2' stroke='").append(colour).append("' points='")
          .append(points.toString().trim()).append("'/>\n");
      svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='11' fill='%s'>%s</text>%n",
          LEFT + 8, TOP + 14 + 14 * k, colour, esc(s.name())));
    }
    if (target != null) {
      double y = TOP + plotHeight() - scale(target, 0, maxY, plotHeight());
      svg.append(String.format(Locale.ROOT,
          "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#c0392b' stroke-dasharray='6 4'/>%n", LEFT, y, WIDTH - RIGHT, y));
      svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end' font-size='11' fill='#c0392b'>%s</text>%n",
          WIDTH - RIGHT, y - 4, esc(targetLabel)));
    }
    return close(svg);
  }

  private static int plotHeight() {
    return HEIGHT - TOP - BOTTOM;
  }

  private static double scale(double v, double min, double max, double span) {
    return max <= min ? 0 : (v - min) / (max - min) * span;
  }

  private static StringBuilder open(String title) {
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' font-family='sans-serif'>%n",
        WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append("<rect width='100%' height='100%' fill='white'/>\n");
    svg.append(String.format(Locale.ROOT, "<text x='%d' y='22' text-anchor='middle' font-size='14' font-weight='bold'>%s</text>%n",
        WIDTH / 2, esc(title)));
    return svg;
  }

  private static void yAxis(StringBuilder svg, double min, double max, String unit) {
    for (int t = 0; t <= 4; t++) {
      double v = min + (max - min) * t / 4;
      double y = TOP + plotHeight() - plotHeight() * t / 4.0;
      svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>%n", LEFT, y, WIDTH - RIGHT, y));
      svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end' font-size='11'>%s</text>%n",
          LEFT - 6, y + 4, esc(BenchResult.format(v))));
    }
    svg.append(String.format(Locale.ROOT,
        "<text x='14' y='%d' font-size='12' transform='rotate(-90 14 %d)' text-anchor='middle'>%s</text>%n",
        TOP + plotHeight() / 2, TOP + plotHeight() / 2, esc(unit)));
    svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>%n",
        LEFT, TOP + plotHeight(), WIDTH - RIGHT, TOP + plotHeight()));
  }

  private static String close(StringBuilder svg) {
    return svg.append("</svg>\n").toString();
  }

  /** 1, 2 or 5 times a power of ten, at or above {@code v}. */
  private static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * power >= v) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }
}
