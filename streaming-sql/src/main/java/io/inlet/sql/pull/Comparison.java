package io.inlet.sql.pull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Comparing two values: numbers by value across integer, floating and decimal types (an integer
 * compared with a DOUBLE is widened to DOUBLE, with a DECIMAL to DECIMAL); strings by code point
 * (the order of their UTF-8 bytes, as Flink compares them); FALSE before TRUE; a DATE with a
 * TIMESTAMP as the timestamp of its midnight; a TIMESTAMP_LTZ with a TIMESTAMP in UTC (the engine's
 * session time zone); a string with a date, time or timestamp as that type. NULL compared with
 * anything is UNKNOWN.
 */
final class Comparison {
  private Comparison() {}

  /** The comparison operators of the grammar, applied to {@code compare}'s result. */
  static Boolean test(String op, Object a, Object b) {
    Integer c = compare(a, b);
    if (c == null) {
      return null;
    }
    return switch (op) {
      case "=" -> c == 0;
      case "<>" -> c != 0;
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      default -> throw new IllegalArgumentException("not a comparison: " + op);
    };
  }

  /**
   * Negative, zero or positive as {@code a} sorts before, with or after {@code b}; null when either
   * is NULL.
   *
   * @throws PullEvaluationException when the two cannot be compared
   */
  static Integer compare(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return numbers(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return strings(x, y);
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    if (a instanceof String s) {
      return compare(Casts.temporalLike(s, b), b);
    }
    if (b instanceof String s) {
      return compare(a, Casts.temporalLike(s, a));
    }
    return temporals(a, b);
  }

  static int numbers(Number x, Number y) {
    if (x instanceof Long l && y instanceof Long m) {
      return Long.compare(l, m);
    }
    if (x instanceof Double || y instanceof Double) {
      double l = x.doubleValue();
      double m = y.doubleValue();
      return l < m ? -1 : l > m ? 1 : 0;
    }
    return Arithmetic.decimal(x).compareTo(Arithmetic.decimal(y));
  }

  /** By code point: the order of the strings' UTF-8 bytes. */
  static int strings(String x, String y) {
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int c = x.codePointAt(i);
      int d = y.codePointAt(j);
      if (c != d) {
        return Integer.compare(c, d);
      }
      i += Character.charCount(c);
      j += Character.charCount(d);
    }
    return Integer.compare(x.length() - i, y.length() - j);
  }

  private static int temporals(Object a, Object b) {
    if (a instanceof LocalTime x && b instanceof LocalTime y) {
      return x.compareTo(y);
    }
    if (a instanceof LocalTime || b instanceof LocalTime) {
      throw incomparable(a, b);
    }
    Instant x = instant(a);
    Instant y = instant(b);
    if (x == null || y == null) {
      throw incomparable(a, b);
    }
    return x.compareTo(y);
  }

  private static Instant instant(Object v) {
    if (v instanceof Instant i) {
      return i;
    }
    if (v instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC);
    }
    if (v instanceof LocalDate d) {
      return d.atStartOfDay().toInstant(ZoneOffset.UTC);
    }
    return null;
  }

  static PullEvaluationException incomparable(Object a, Object b) {
    return new PullEvaluationException(
        "cannot compare " + Casts.typeName(a) + " with " + Casts.typeName(b));
  }
}
