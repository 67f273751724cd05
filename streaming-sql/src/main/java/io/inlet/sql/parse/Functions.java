package io.inlet.sql.parse;

import io.inlet.sql.functions.InletFunctions;
import java.util.List;
import java.util.Map;

/**
 * HStreamDB's functions as Flink SQL: aggregates, and the scalar functions of SQL-v1.cf mapped to
 * Flink's built-ins (or to an expression of them); TOPK, TOPKDISTINCT and CHUNKSOF to Inlet's own
 * Flink functions ({@link InletFunctions}).
 */
final class Functions {
  static final java.util.Set<String> AGGREGATES =
      java.util.Set.of("COUNT", "SUM", "AVG", "MIN", "MAX");

  /**
   * The type tests: a regular expression over the Flink type (TYPEOF) the engine gave the value.
   */
  private static final Map<String, String> TYPE_TESTS =
      Map.of(
          "IS_INT", "(TINYINT|SMALLINT|INT|INTEGER|BIGINT)",
          "IS_FLOAT", "(FLOAT|DOUBLE|DECIMAL\\(.*\\))",
          "IS_NUM", "(TINYINT|SMALLINT|INT|INTEGER|BIGINT|FLOAT|DOUBLE|DECIMAL\\(.*\\))",
          "IS_BOOL", "BOOLEAN",
          "IS_STR", "(STRING|VARCHAR\\(.*\\)|CHAR\\(.*\\))",
          "IS_DATE", "DATE",
          "IS_TIME", "TIME(\\(\\d\\))?");

  /** HStreamDB name to Flink name, for functions taking the same arguments. */
  private static final Map<String, String> RENAMED =
      Map.ofEntries(
          Map.entry("SIN", "SIN"),
          Map.entry("SINH", "SINH"),
          Map.entry("ASIN", "ASIN"),
          Map.entry("COS", "COS"),
          Map.entry("COSH", "COSH"),
          Map.entry("ACOS", "ACOS"),
          Map.entry("TAN", "TAN"),
          Map.entry("TANH", "TANH"),
          Map.entry("ATAN", "ATAN"),
          Map.entry("ABS", "ABS"),
          Map.entry("CEIL", "CEIL"),
          Map.entry("FLOOR", "FLOOR"),
          Map.entry("SIGN", "SIGN"),
          Map.entry("SQRT", "SQRT"),
          Map.entry("LOG", "LN"),
          Map.entry("LOG2", "LOG2"),
          Map.entry("LOG10", "LOG10"),
          Map.entry("EXP", "EXP"),
          Map.entry("TO_LOWER", "LOWER"),
          Map.entry("TO_UPPER", "UPPER"),
          Map.entry("LEFT_TRIM", "LTRIM"),
          Map.entry("RIGHT_TRIM", "RTRIM"),
          Map.entry("REVERSE", "REVERSE"),
          Map.entry("STRLEN", "CHAR_LENGTH"),
          Map.entry("IFNULL", "COALESCE"),
          Map.entry("NULLIF", "NULLIF"),
          Map.entry("SPLIT", "SPLIT"),
          Map.entry("ARRAY_CONTAIN", "ARRAY_CONTAINS"),
          Map.entry("ARRAY_DISTINCT", "ARRAY_DISTINCT"),
          Map.entry("ARRAY_EXCEPT", "ARRAY_EXCEPT"),
          Map.entry("ARRAY_INTERSECT", "ARRAY_INTERSECT"),
          Map.entry("ARRAY_LENGTH", "CARDINALITY"),
          Map.entry("ARRAY_REMOVE", "ARRAY_REMOVE"),
          Map.entry("ARRAY_UNION", "ARRAY_UNION"),
          Map.entry("ARRAY_MAX", "ARRAY_MAX"),
          Map.entry("ARRAY_MIN", "ARRAY_MIN"),
          Map.entry("ARRAY_SORT", "ARRAY_SORT"));

  /** How many arguments each function takes (ARRAY_JOIN: 1 or 2). */
  private static final Map<String, List<Integer>> ARITY =
      Map.ofEntries(
          Map.entry("IFNULL", List.of(2)),
          Map.entry("NULLIF", List.of(2)),
          Map.entry("DATETOSTRING", List.of(2)),
          Map.entry("STRINGTODATE", List.of(2)),
          Map.entry("SPLIT", List.of(2)),
          Map.entry("CHUNKSOF", List.of(2)),
          Map.entry("TAKE", List.of(2)),
          Map.entry("TAKEEND", List.of(2)),
          Map.entry("DROP", List.of(2)),
          Map.entry("DROPEND", List.of(2)),
          Map.entry("ARRAY_CONTAIN", List.of(2)),
          Map.entry("ARRAY_EXCEPT", List.of(2)),
          Map.entry("ARRAY_INTERSECT", List.of(2)),
          Map.entry("ARRAY_REMOVE", List.of(2)),
          Map.entry("ARRAY_UNION", List.of(2)),
          Map.entry("ARRAY_JOIN", List.of(1, 2)),
          Map.entry("TOPK", List.of(2)),
          Map.entry("TOPKDISTINCT", List.of(2)));

  private Functions() {}

  /**
   * TAKE(n, a), TAKEEND(n, a), DROP(n, a) and DROPEND(n, a) as ARRAY_SLICE with positive offsets
   * inside the array (an n below 0 counts as 0, an n beyond the array as its length).
   */
  private static String slice(String name, String n, String array) {
    String length = "CARDINALITY(" + array + ")";
    String empty = "ARRAY_SLICE(" + array + ", 2, 1)"; // start after end: empty, typed as a
    String from;
    String to;
    String all;
    String none;
    switch (name) {
      case "TAKE" -> {
        none = n + " <= 0";
        all = n + " >= " + length;
        from = "1";
        to = n;
      }
      case "TAKEEND" -> {
        none = n + " <= 0";
        all = n + " >= " + length;
        from = length + " - " + n + " + 1";
        to = length;
      }
      case "DROP" -> {
        none = n + " >= " + length;
        all = n + " <= 0";
        from = n + " + 1";
        to = length;
      }
      default -> { // DROPEND
        none = n + " >= " + length;
        all = n + " <= 0";
        from = "1";
        to = length + " - " + n;
      }
    }
    return "(CASE WHEN "
        + array
        + " IS NULL OR "
        + n
        + " IS NULL THEN NULL WHEN "
        + none
        + " THEN "
        + empty
        + " WHEN "
        + all
        + " THEN "
        + array
        + " ELSE ARRAY_SLICE("
        + array
        + ", CAST("
        + from
        + " AS INT), CAST("
        + to
        + " AS INT)) END)";
  }

  /** Whether argument {@code index} of {@code name} is an array. */
  static boolean takesArray(String name, int index) {
    return switch (name) {
      case "ARRAY_EXCEPT", "ARRAY_INTERSECT", "ARRAY_UNION" -> index <= 1;
      case "TAKE", "TAKEEND", "DROP", "DROPEND", "CHUNKSOF" -> index == 1;
      default -> name.startsWith("ARRAY_") && index == 0;
    };
  }

  static boolean isAggregate(String name) {
    return AGGREGATES.contains(name) || name.equals("TOPK") || name.equals("TOPKDISTINCT");
  }

  /**
   * The Flink SQL of {@code call}, its arguments already translated.
   *
   * @throws SqlParseException for an unknown function, a wrong argument count, or a function with
   *     no Flink translation
   */
  static String translate(Expr.Call call, List<String> args) throws SqlParseException {
    String name = call.name();
    if (name.equals("COUNT") && call.star()) {
      return "COUNT(*)";
    }
    if (call.star()) {
      throw Cursor.error(call.at(), name + "(*) is not a function", "COUNT(*)");
    }
    boolean known =
        AGGREGATES.contains(name)
            || TYPE_TESTS.containsKey(name)
            || RENAMED.containsKey(name)
            || List.of(
                    "ASINH",
                    "ACOSH",
                    "ATANH",
                    "ROUND",
                    "TRIM",
                    "TO_STR",
                    "IS_ARRAY",
                    "DATETOSTRING",
                    "STRINGTODATE",
                    "ARRAY_JOIN",
                    "TAKE",
                    "TAKEEND",
                    "DROP",
                    "DROPEND",
                    "TOPK",
                    "TOPKDISTINCT",
                    "CHUNKSOF")
                .contains(name);
    if (!known) {
      throw Cursor.error(
          call.at(),
          "unknown function "
              + name
              + " (for Flink's own functions, write the statement in Flink SQL: FLINK SELECT ...)",
          "a function of HStreamDB's SQL");
    }
    List<Integer> arity = ARITY.getOrDefault(name, List.of(1));
    if (!arity.contains(args.size())) {
      throw Cursor.error(
          call.at(),
          name
              + " takes "
              + arity.get(arity.size() - 1)
              + " argument"
              + (arity.get(arity.size() - 1) == 1 ? "" : "s")
              + ", found "
              + args.size(),
          arity.get(arity.size() - 1) + " arguments");
    }
    String x = args.get(0);
    if (TYPE_TESTS.containsKey(name)) {
      return "("
          + x
          + " IS NOT NULL AND REGEXP(TYPEOF("
          + x
          + "), '^"
          + TYPE_TESTS.get(name)
          + "( NOT NULL)?$'))";
    }
    return switch (name) {
      case "TAKE", "TAKEEND", "DROP", "DROPEND" -> slice(name, x, args.get(1));
      case "TOPK", "TOPKDISTINCT" ->
          (name.equals("TOPK") ? InletFunctions.TOPK : InletFunctions.TOPK_DISTINCT)
              + "(CAST("
              + x
              + " AS DOUBLE), CAST("
              + args.get(1)
              + " AS INT))";
      case "CHUNKSOF" ->
          InletFunctions.CHUNKS_OF + "(CAST(" + x + " AS BIGINT), " + args.get(1) + ")";
      case "ASINH" -> "LN(" + x + " + SQRT(" + x + " * " + x + " + 1))";
      case "ACOSH" -> "LN(" + x + " + SQRT(" + x + " * " + x + " - 1))";
      case "ATANH" -> "(0.5 * LN((1 + " + x + ") / (1 - " + x + ")))";
      case "ROUND" -> "ROUND(" + x + ", 0)";
      case "TRIM" -> "TRIM(BOTH ' ' FROM " + x + ")";
      case "TO_STR" -> "CAST(" + x + " AS STRING)";
      case "IS_ARRAY" -> "(" + x + " IS JSON ARRAY)";
      case "ARRAY_JOIN" -> "ARRAY_JOIN(" + x + ", " + (args.size() == 2 ? args.get(1) : "''") + ")";
      case "DATETOSTRING" -> "DATE_FORMAT(" + x + ", " + args.get(1) + ")";
      case "STRINGTODATE" -> "TO_TIMESTAMP(" + x + ", " + args.get(1) + ")";
      default ->
          (AGGREGATES.contains(name) ? name : RENAMED.get(name))
              + "("
              + String.join(", ", args)
              + ")";
    };
  }
}
