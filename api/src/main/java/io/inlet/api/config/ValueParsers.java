package io.inlet.api.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for setting values, shared by every module's option definitions. Each throws {@link
 * IllegalArgumentException} with a message that completes "KEY ...", e.g. "must be 0..65535".
 */
public final class ValueParsers {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", Pattern.CASE_INSENSITIVE);

  private ValueParsers() {}

  public static Function<String, Integer> intRange(int min, int max) {
    return text -> {
      String message = "must be " + min + ".." + max;
      try {
        long value = Long.parseLong(text);
        if (value < min || value > max) {
          throw new IllegalArgumentException(message);
        }
        return (int) value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(message);
      }
    };
  }

  public static Function<String, Integer> port() {
    return intRange(0, 65535);
  }

  /** A port, or {@code off} (-1): the listener is not started. */
  public static Function<String, Integer> portOrOff() {
    return text -> {
      if (text.equalsIgnoreCase("off")) {
        return -1;
      }
      try {
        return port().apply(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("must be 0..65535 or off");
      }
    };
  }

  public static Function<String, Boolean> bool() {
    return text ->
        switch (text.toLowerCase(Locale.ROOT)) {
          case "true", "yes", "on" -> true;
          case "false", "no", "off" -> false;
          default -> throw new IllegalArgumentException("must be true or false");
        };
  }

  public static Function<String, String> nonEmpty() {
    return text -> {
      if (text.isEmpty()) {
        throw new IllegalArgumentException("must not be empty");
      }
      return text;
    };
  }

  public static Function<String, Path> path() {
    return text -> {
      if (text.isEmpty()) {
        throw new IllegalArgumentException("must be a path");
      }
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("must be a path");
      }
    };
  }

  public static Function<String, String> oneOf(Set<String> allowed) {
    return text -> {
      String value = text.toLowerCase(Locale.ROOT);
      if (!allowed.contains(value)) {
        throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
      }
      return value;
    };
  }

  /** A duration with a unit: {@code 500ms}, {@code 60s}, {@code 5m}, {@code 2h}, {@code 1d}. */
  public static Function<String, Duration> duration(Duration min) {
    return text -> {
      String message = "must be a duration such as 500ms, 60s or 5m, at least " + format(min);
      Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new IllegalArgumentException(message);
      }
      long amount;
      try {
        amount = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(message);
      }
      Duration value =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
      if (value.compareTo(min) < 0) {
        throw new IllegalArgumentException(message);
      }
      return value;
    };
  }

  /** A byte size: {@code 1048576}, {@code 512KiB}, {@code 1MiB} (K, M, G are powers of 1024). */
  public static Function<String, Integer> byteSize(int min, int max) {
    return text -> {
      String message = "must be a size such as 1048576, 512KiB or 1MiB, " + min + ".." + max;
      Matcher m = SIZE.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException(message);
      }
      long amount;
      try {
        amount = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(message);
      }
      String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
      long multiplier =
          switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1L;
          };
      if (amount > Long.MAX_VALUE / multiplier) {
        throw new IllegalArgumentException(message);
      }
      long value = amount * multiplier;
      if (value < min || value > max) {
        throw new IllegalArgumentException(message);
      }
      return (int) value;
    };
  }

  public static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    return d.toSeconds() + "s";
  }
}
