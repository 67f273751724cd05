package io.inlet.sql.pull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The scalar functions a pull query evaluates, with the meaning the translator gives them in push
 * queries (Flink's built-ins): math on numbers (DOUBLE results, except ABS, CEIL, FLOOR, ROUND and
 * SIGN, which keep their argument's type; ROUND rounds half away from zero), string functions
 * (lengths in code points; TRIM and its left and right forms remove spaces), IFNULL, NULLIF, TO_STR
 * (a cast to STRING) and the type tests IS_INT ... IS_TIME (FALSE for NULL). Each returns NULL for
 * a NULL argument unless said otherwise.
 */
final class ScalarFunctions {
  private static final Map<String, DoubleUnaryOperator> DOUBLE_MATH =
      Map.ofEntries(
          Map.entry("SIN", Math::sin),
          Map.entry("SINH", Math::sinh),
          Map.entry("ASIN", Math::asin),
          Map.entry("COS", Math::cos),
          Map.entry("COSH", Math::cosh),
          Map.entry("ACOS", Math::acos),
          Map.entry("TAN", Math::tan),
          Map.entry("TANH", Math::tanh),
          Map.entry("ATAN", Math::atan),
          Map.entry("ASINH", x -> Math.log(x + Math.sqrt(x * x + 1))),
          Map.entry("ACOSH", x -> Math.log(x + Math.sqrt(x * x - 1))),
          Map.entry("ATANH", x -> 0.5 * Math.log((1 + x) / (1 - x))),
          Map.entry("SQRT", Math::sqrt),
          Map.entry("LOG", Math::log),
          Map.entry("LOG2", x -> Math.log(x) / Math.log(2)),
          Map.entry("LOG10", Math::log10),
          Map.entry("EXP", Math::exp));

  private static final Map<String, UnaryOperator<String>> STRINGS =
      Map.of(
          "TO_LOWER", s -> s.toLowerCase(Locale.ROOT),
          "TO_UPPER", s -> s.toUpperCase(Locale.ROOT),
          "TRIM", s -> trim(s, true, true),
          "LEFT_TRIM", s -> trim(s, true, false),
          "RIGHT_TRIM", s -> trim(s, false, true),
          "REVERSE", s -> new StringBuilder(s).reverse().toString());

  private static final Map<String, Predicate<Object>> TYPE_TESTS =
      Map.of(
          "IS_INT", v -> v instanceof Long,
          "IS_FLOAT", v -> v instanceof Double || v instanceof BigDecimal,
          "IS_NUM", v -> v instanceof Number,
          "IS_BOOL", v -> v instanceof Boolean,
          "IS_STR", v -> v instanceof String,
          "IS_DATE", v -> v instanceof LocalDate,
          "IS_TIME", v -> v instanceof LocalTime);

  private static final Set<String> KEEP_TYPE = Set.of("ABS", "CEIL", "FLOOR", "ROUND", "SIGN");

  private ScalarFunctions() {}

  /** Whether {@code name} is a function this evaluator runs. */
  static boolean supports(String name) {
    return DOUBLE_MATH.containsKey(name)
        || STRINGS.containsKey(name)
        || TYPE_TESTS.containsKey(name)
        || KEEP_TYPE.contains(name)
        || Set.of("STRLEN", "TO_STR", "IFNULL", "NULLIF").contains(name);
  }

  /** The argument types {@code name} needs (null: any); the result type given the arguments'. */
  static ValueType argumentType(String name) {
    if (DOUBLE_MATH.containsKey(name) || KEEP_TYPE.contains(name)) {
      return ValueType.NUMBER;
    }
    if (STRINGS.containsKey(name) || name.equals("STRLEN")) {
      return ValueType.STRING;
    }
    return null;
  }

  /** The call of supported function {@code name} on already compiled, type-checked arguments. */
  static Compiled compile(String name, List<Compiled> args) {
    Compiled x = args.get(0);
    if (DOUBLE_MATH.containsKey(name)) {
      DoubleUnaryOperator f = DOUBLE_MATH.get(name);
      return new Compiled(
          ValueType.NUMBER, row -> number(x, row, n -> f.applyAsDouble(n.doubleValue())));
    }
    if (STRINGS.containsKey(name)) {
      UnaryOperator<String> f = STRINGS.get(name);
      return new Compiled(
          ValueType.STRING,
          row -> {
            Object v = x.apply(row);
            return v == null ? null : f.apply((String) v);
          });
    }
    if (TYPE_TESTS.containsKey(name)) {
      Predicate<Object> test = TYPE_TESTS.get(name);
      return new Compiled(ValueType.BOOLEAN, row -> test.test(x.apply(row)));
    }
    return switch (name) {
      case "ABS" -> new Compiled(ValueType.NUMBER, row -> number(x, row, ScalarFunctions::abs));
      case "CEIL" ->
          new Compiled(
              ValueType.NUMBER, row -> number(x, row, n -> round(n, RoundingMode.CEILING)));
      case "FLOOR" ->
          new Compiled(ValueType.NUMBER, row -> number(x, row, n -> round(n, RoundingMode.FLOOR)));
      case "ROUND" ->
          new Compiled(
              ValueType.NUMBER, row -> number(x, row, n -> round(n, RoundingMode.HALF_UP)));
      case "SIGN" -> new Compiled(ValueType.NUMBER, row -> number(x, row, ScalarFunctions::sign));
      case "STRLEN" ->
          new Compiled(
              ValueType.NUMBER,
              row -> {
                Object v = x.apply(row);
                return v == null
                    ? null
                    : (long) ((String) v).codePointCount(0, ((String) v).length());
              });
      case "TO_STR" ->
          new Compiled(
              ValueType.STRING,
              row -> {
                Object v = x.apply(row);
                return v == null ? null : Casts.toText(v);
              });
      case "IFNULL" -> {
        Compiled y = args.get(1);
        yield new Compiled(
            x.type() == ValueType.UNKNOWN ? y.type() : x.type(),
            row -> {
              Object v = x.apply(row);
              return v != null ? v : y.apply(row);
            });
      }
      case "NULLIF" -> {
        Compiled y = args.get(1);
        yield new Compiled(
            x.type(),
            row -> {
              Object v = x.apply(row);
              return Boolean.TRUE.equals(Comparison.test("=", v, y.apply(row))) ? null : v;
            });
      }
      default -> throw new IllegalArgumentException("not a supported function: " + name);
    };
  }

  private static Object number(
      Compiled x, Object[] row, java.util.function.Function<Number, Object> f) {
    Object v = x.apply(row);
    return v == null ? null : f.apply((Number) v);
  }

  private static Number abs(Number n) {
    if (n instanceof Long l) {
      if (l == Long.MIN_VALUE) {
        throw new PullEvaluationException("BIGINT overflow: ABS(" + l + ")");
      }
      return Math.abs(l);
    }
    if (n instanceof Double d) {
      return Math.abs(d);
    }
    return ((BigDecimal) n).abs();
  }

  private static Number round(Number n, RoundingMode mode) {
    if (n instanceof Long) {
      return n;
    }
    if (n instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        return d;
      }
      return BigDecimal.valueOf(d).setScale(0, mode).doubleValue();
    }
    return ((BigDecimal) n).setScale(0, mode);
  }

  private static Number sign(Number n) {
    if (n instanceof Long l) {
      return (long) Long.signum(l);
    }
    if (n instanceof Double d) {
      return Math.signum(d);
    }
    return BigDecimal.valueOf(((BigDecimal) n).signum());
  }

  private static String trim(String s, boolean left, boolean right) {
    int from = 0;
    int to = s.length();
    while (left && from < to && s.charAt(from) == ' ') {
      from++;
    }
    while (right && to > from && s.charAt(to - 1) == ' ') {
      to--;
    }
    return s.substring(from, to);
  }
}
