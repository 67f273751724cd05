package io.inlet.sql.parse;

import java.time.Duration;

/** {@code INTERVAL n UNIT} as a duration and as Flink SQL. */
final class Intervals {
  private Intervals() {}

  /** A month counts as 30 days and a year as 365, as a stream's retention. */
  static Duration duration(SelectAst.Interval interval) throws SqlParseException {
    long n = interval.amount();
    try {
      return switch (interval.unit()) {
        case "SECOND" -> Duration.ofSeconds(n);
        case "MINUTE" -> Duration.ofMinutes(n);
        case "HOUR" -> Duration.ofHours(n);
        case "DAY" -> Duration.ofDays(n);
        case "MONTH" -> Duration.ofDays(Math.multiplyExact(n, 30));
        default -> Duration.ofDays(Math.multiplyExact(n, 365));
      };
    } catch (ArithmeticException e) {
      throw Cursor.error(interval.at(), "interval too long", "a shorter interval");
    }
  }

  /** {@code INTERVAL '10' SECOND}. */
  static String flink(SelectAst.Interval interval) {
    return "INTERVAL '" + interval.amount() + "' " + interval.unit();
  }

  /**
   * The interval as Flink SQL for a window or a join bound, which take a day-time interval only.
   */
  static String dayTime(SelectAst.Interval interval, String what) throws SqlParseException {
    if (interval.unit().equals("MONTH") || interval.unit().equals("YEAR")) {
      throw Cursor.error(
          interval.at(),
          what + " takes SECOND, MINUTE, HOUR or DAY, not " + interval.unit(),
          "SECOND, MINUTE, HOUR or DAY");
    }
    if (interval.amount() <= 0) {
      throw Cursor.error(interval.at(), what + " must be longer than 0", "a positive interval");
    }
    return flink(interval);
  }
}
