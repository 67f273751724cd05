package io.inlet.sql.pull;

import io.inlet.sql.flink.RowStructs;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * {@code CAST(e AS T)} (and {@code e::T}) to HStreamDB's scalar types, following Flink's CAST: a
 * number to INTEGER truncates toward zero; a string to a number or a date, time or timestamp is
 * read after trimming spaces, and one that does not read is an error (not NULL); TRUE is 1 as a
 * number and {@code 'TRUE'} as a string; a TIMESTAMP as a string is {@code yyyy-MM-dd
 * HH:mm:ss.SSS}. JSONB is carried as JSON text, so a cast to JSONB is a cast to STRING.
 */
final class Casts {
  private static final Set<String> TRUE_WORDS = Set.of("t", "true", "y", "yes", "1");
  private static final Set<String> FALSE_WORDS = Set.of("f", "false", "n", "no", "0");
  private static final DateTimeFormatter TIMESTAMP_TEXT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

  private Casts() {}

  /** The static type of a cast to {@code target}, or null when this evaluator cannot cast there. */
  static ValueType resultType(String target) {
    return switch (target) {
      case "INTEGER", "FLOAT" -> ValueType.NUMBER;
      case "BOOLEAN" -> ValueType.BOOLEAN;
      case "STRING", "JSONB" -> ValueType.STRING;
      case "DATE" -> ValueType.DATE;
      case "TIME" -> ValueType.TIME;
      case "TIMESTAMP" -> ValueType.TIMESTAMP;
      default -> null;
    };
  }

  /** Whether a value of type {@code from} can be cast to {@code to} (a result of resultType). */
  static boolean castable(ValueType from, ValueType to) {
    if (from == ValueType.UNKNOWN || from == to || to == ValueType.STRING) {
      return true;
    }
    return switch (to) {
      case NUMBER, BOOLEAN -> !from.isTemporal();
      case DATE, TIMESTAMP ->
          from == ValueType.STRING
              || from == ValueType.DATE
              || from == ValueType.TIMESTAMP
              || from == ValueType.TIMESTAMP_LTZ;
      case TIME ->
          from == ValueType.STRING
              || from == ValueType.TIMESTAMP
              || from == ValueType.TIMESTAMP_LTZ;
      default -> false;
    };
  }

  /**
   * {@code value} cast to {@code target} (INTEGER, FLOAT, BOOLEAN, STRING, JSONB, DATE, TIME or
   * TIMESTAMP).
   *
   * @throws PullEvaluationException when the value does not convert
   */
  static Object cast(Object value, String target) {
    if (value == null) {
      return null;
    }
    return switch (target) {
      case "INTEGER" -> toInteger(value);
      case "FLOAT" -> toDouble(value);
      case "BOOLEAN" -> toBoolean(value);
      case "STRING", "JSONB" -> toText(value);
      case "DATE" -> toDate(value);
      case "TIME" -> toTime(value);
      case "TIMESTAMP" -> toTimestamp(value);
      default -> throw new IllegalArgumentException("no cast to " + target);
    };
  }

  private static Long toInteger(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    BigDecimal d;
    if (value instanceof Double x) {
      if (x.isNaN() || x.isInfinite()) {
        throw cannot(value, "INTEGER");
      }
      d = BigDecimal.valueOf(x);
    } else if (value instanceof BigDecimal x) {
      d = x;
    } else if (value instanceof String s) {
      d = decimalText(s, "INTEGER");
    } else {
      throw cannot(value, "INTEGER");
    }
    try {
      return d.setScale(0, RoundingMode.DOWN).longValueExact();
    } catch (ArithmeticException e) {
      throw new PullEvaluationException(
          "cannot cast " + d.toPlainString() + " to INTEGER: out of range");
    }
  }

  private static Double toDouble(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        throw cannot(value, "FLOAT");
      }
    }
    throw cannot(value, "FLOAT");
  }

  private static BigDecimal decimalText(String s, String target) {
    try {
      return new BigDecimal(s.strip());
    } catch (NumberFormatException e) {
      throw cannot(s, target);
    }
  }

  private static Boolean toBoolean(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      return Arithmetic.decimal(n).signum() != 0;
    }
    if (value instanceof String s) {
      String word = s.strip().toLowerCase(Locale.ROOT);
      if (TRUE_WORDS.contains(word)) {
        return true;
      }
      if (FALSE_WORDS.contains(word)) {
        return false;
      }
    }
    throw cannot(value, "BOOLEAN");
  }

  /** A value as a string, the way Flink's CAST(... AS STRING) writes it. */
  static String toText(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Boolean b) {
      return b ? "TRUE" : "FALSE";
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof LocalDateTime t) {
      return TIMESTAMP_TEXT.format(t);
    }
    if (value instanceof Instant i) {
      return TIMESTAMP_TEXT.format(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
    }
    if (value instanceof LocalTime t) {
      return RowStructs.text(t);
    }
    return value.toString();
  }

  private static LocalDate toDate(Object value) {
    if (value instanceof LocalDate d) {
      return d;
    }
    if (value instanceof LocalDateTime t) {
      return t.toLocalDate();
    }
    if (value instanceof Instant i) {
      return LocalDate.ofInstant(i, ZoneOffset.UTC);
    }
    if (value instanceof String s) {
      try {
        return LocalDate.parse(s.strip());
      } catch (DateTimeParseException e) {
        throw cannot(value, "DATE");
      }
    }
    throw cannot(value, "DATE");
  }

  private static LocalTime toTime(Object value) {
    if (value instanceof LocalTime t) {
      return t;
    }
    if (value instanceof LocalDateTime t) {
      return t.toLocalTime();
    }
    if (value instanceof Instant i) {
      return LocalTime.ofInstant(i, ZoneOffset.UTC);
    }
    if (value instanceof String s) {
      try {
        return LocalTime.parse(s.strip());
      } catch (DateTimeParseException e) {
        throw cannot(value, "TIME");
      }
    }
    throw cannot(value, "TIME");
  }

  private static LocalDateTime toTimestamp(Object value) {
    if (value instanceof LocalDateTime t) {
      return t;
    }
    if (value instanceof LocalDate d) {
      return d.atStartOfDay();
    }
    if (value instanceof Instant i) {
      return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
    }
    if (value instanceof String s) {
      LocalDateTime t = timestampText(s);
      if (t != null) {
        return t;
      }
    }
    throw cannot(value, "TIMESTAMP");
  }

  /** {@code yyyy-MM-dd[( |T)HH:mm[:ss[.fff]]]}, or null. */
  static LocalDateTime timestampText(String s) {
    String text = s.strip();
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay();
      }
      return LocalDateTime.parse(text.replace(' ', 'T'));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * A string compared with a date, time or timestamp, read as the same type ({@code like}'s).
   *
   * @throws PullEvaluationException when it does not read, or {@code like} is not temporal
   */
  static Object temporalLike(String s, Object like) {
    if (like instanceof LocalDate) {
      return toDate(s);
    }
    if (like instanceof LocalTime) {
      return toTime(s);
    }
    if (like instanceof LocalDateTime || like instanceof Instant) {
      return toTimestamp(s);
    }
    throw Comparison.incomparable(s, like);
  }

  /** The SQL type of a value, for messages. */
  static String typeName(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Long) {
      return "BIGINT";
    }
    if (value instanceof Double) {
      return "DOUBLE";
    }
    if (value instanceof BigDecimal) {
      return "DECIMAL";
    }
    if (value instanceof Boolean) {
      return "BOOLEAN";
    }
    if (value instanceof LocalDate) {
      return "DATE";
    }
    if (value instanceof LocalTime) {
      return "TIME";
    }
    if (value instanceof LocalDateTime) {
      return "TIMESTAMP";
    }
    if (value instanceof Instant) {
      return "TIMESTAMP_LTZ";
    }
    return "STRING";
  }

  private static PullEvaluationException cannot(Object value, String target) {
    String shown = value instanceof String s ? "'" + s + "'" : toText(value);
    return new PullEvaluationException(
        "cannot cast " + typeName(value) + " " + shown + " to " + target);
  }
}
