package io.inlet.bench.report;

import java.util.Locale;

/** How figures are written in reports. MB is 10^6 bytes. */
public final class Figures {
  private Figures() {}

  public static String count(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  public static String oneDecimal(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  public static String twoDecimals(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  public static String megabytes(double bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
  }

  public static String millis(long nanos) {
    double ms = nanos / 1e6;
    return ms >= 100
        ? String.format(Locale.ROOT, "%.0f", ms)
        : String.format(Locale.ROOT, ms >= 10 ? "%.1f" : "%.2f", ms);
  }

  public static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }
}
