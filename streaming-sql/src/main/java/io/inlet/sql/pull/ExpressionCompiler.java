package io.inlet.sql.pull;

import io.inlet.sql.parse.Expr;
import io.inlet.sql.parse.SqlParseException;
import io.inlet.sql.parse.Token;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a parsed expression over one view's columns into a {@link Compiled} function, checking
 * its types on the way. Whatever this evaluator does not run is refused here, naming the construct
 * and its position, before any row is read.
 */
final class ExpressionCompiler {
  private static final Set<String> AGGREGATES =
      Set.of("COUNT", "SUM", "AVG", "MIN", "MAX", "TOPK", "TOPKDISTINCT");
  private static final Set<String> COMPARISONS = Set.of("=", "<>", "<", "<=", ">", ">=");

  /** The view's columns by name: index in a decoded row, and type. */
  record ColumnSlot(int index, ValueType type) {}

  private final String qualifier;
  private final Map<String, ColumnSlot> columns;

  /**
   * @param qualifier the name a qualified column must use: the view's alias, or its name
   */
  ExpressionCompiler(String qualifier, Map<String, ColumnSlot> columns) {
    this.qualifier = qualifier;
    this.columns = columns;
  }

  Compiled compile(Expr expr) throws SqlParseException {
    if (expr instanceof Expr.Literal literal) {
      return literal(literal);
    }
    if (expr instanceof Expr.Column column) {
      return column(column);
    }
    if (expr instanceof Expr.Binary binary) {
      return binary(binary);
    }
    if (expr instanceof Expr.Unary unary) {
      return unary(unary);
    }
    if (expr instanceof Expr.Between between) {
      return between(between);
    }
    if (expr instanceof Expr.IsNull isNull) {
      Compiled value = compile(isNull.value());
      boolean not = isNull.not();
      return new Compiled(ValueType.BOOLEAN, row -> (value.apply(row) == null) != not);
    }
    if (expr instanceof Expr.Call call) {
      return call(call);
    }
    if (expr instanceof Expr.Cast cast) {
      return cast(cast);
    }
    if (expr instanceof Expr.JsonAccess || expr instanceof Expr.ArrayAccess) {
      return json(expr, false);
    }
    throw refuse(expr.at(), "array literals are not supported in a pull query", "an expression");
  }

  private Compiled literal(Expr.Literal literal) throws SqlParseException {
    try {
      return switch (literal.kind()) {
        case NULL -> Compiled.constant(ValueType.UNKNOWN, null);
        case BOOLEAN -> Compiled.constant(ValueType.BOOLEAN, literal.value().equals("TRUE"));
        case INTEGER -> Compiled.constant(ValueType.NUMBER, integer(literal.value()));
        case DECIMAL ->
            Compiled.constant(
                ValueType.NUMBER,
                literal.value().matches(".*[eE].*")
                    ? (Object) Double.parseDouble(literal.value())
                    : new BigDecimal(literal.value()));
        case STRING -> Compiled.constant(ValueType.STRING, literal.value());
        case DATE -> Compiled.constant(ValueType.DATE, LocalDate.parse(literal.value().strip()));
        case TIME -> Compiled.constant(ValueType.TIME, LocalTime.parse(literal.value().strip()));
        case TIMESTAMP -> timestamp(literal);
        case INTERVAL ->
            throw refuse(
                literal.at(),
                "INTERVAL values are not supported in a pull query",
                "a number, string, boolean, date, time or timestamp");
      };
    } catch (DateTimeParseException e) {
      throw refuse(
          literal.at(),
          "invalid " + literal.kind() + " literal '" + literal.value() + "'",
          "ISO-8601 (2026-12-03, 10:00:00, 2026-12-03 10:00:00)");
    }
  }

  private static Object integer(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return new BigDecimal(digits);
    }
  }

  private static Compiled timestamp(Expr.Literal literal) {
    LocalDateTime t = Casts.timestampText(literal.value());
    if (t == null) {
      throw new DateTimeParseException("not a timestamp", literal.value(), 0);
    }
    return Compiled.constant(ValueType.TIMESTAMP, t);
  }

  private Compiled column(Expr.Column column) throws SqlParseException {
    if (column.qualifier() != null && !column.qualifier().equals(qualifier)) {
      throw refuse(column.at(), "unknown view or alias " + column.qualifier(), qualifier);
    }
    ColumnSlot slot = columns.get(column.name());
    if (slot == null) {
      throw refuse(
          column.at(),
          "view " + qualifier + " has no column " + column.name(),
          "one of " + String.join(", ", columns.keySet()));
    }
    int index = slot.index();
    return new Compiled(slot.type(), row -> row[index]);
  }

  private Compiled binary(Expr.Binary binary) throws SqlParseException {
    Compiled left = compile(binary.left());
    Compiled right = compile(binary.right());
    String op = binary.op();
    if (op.equals("AND") || op.equals("OR")) {
      need(left, ValueType.BOOLEAN, binary.left(), op);
      need(right, ValueType.BOOLEAN, binary.right(), op);
      return op.equals("AND")
          ? new Compiled(
              ValueType.BOOLEAN,
              row -> Logic.and((Boolean) left.apply(row), (Boolean) right.apply(row)))
          : new Compiled(
              ValueType.BOOLEAN,
              row -> Logic.or((Boolean) left.apply(row), (Boolean) right.apply(row)));
    }
    if (COMPARISONS.contains(op)) {
      comparable(left, right, binary);
      return new Compiled(
          ValueType.BOOLEAN, row -> Comparison.test(op, left.apply(row), right.apply(row)));
    }
    need(left, ValueType.NUMBER, binary.left(), op);
    need(right, ValueType.NUMBER, binary.right(), op);
    return new Compiled(
        ValueType.NUMBER,
        row -> Arithmetic.apply(op, (Number) left.apply(row), (Number) right.apply(row)));
  }

  private Compiled unary(Expr.Unary unary) throws SqlParseException {
    Compiled operand = compile(unary.operand());
    if (unary.op().equals("NOT")) {
      need(operand, ValueType.BOOLEAN, unary.operand(), "NOT");
      return new Compiled(ValueType.BOOLEAN, row -> Logic.not((Boolean) operand.apply(row)));
    }
    need(operand, ValueType.NUMBER, unary.operand(), "-");
    return new Compiled(ValueType.NUMBER, row -> Arithmetic.negate((Number) operand.apply(row)));
  }

  private Compiled between(Expr.Between between) throws SqlParseException {
    Compiled value = compile(between.value());
    Compiled low = compile(between.low());
    Compiled high = compile(between.high());
    comparable(value, low, between);
    comparable(value, high, between);
    boolean symmetric = between.symmetric();
    boolean not = between.not();
    return new Compiled(
        ValueType.BOOLEAN,
        row -> {
          Object v = value.apply(row);
          Object l = low.apply(row);
          Object h = high.apply(row);
          Boolean in = within(v, l, h);
          if (symmetric) {
            in = Logic.or(in, within(v, h, l));
          }
          return not ? Logic.not(in) : in;
        });
  }

  private static Boolean within(Object v, Object low, Object high) {
    return Logic.and(Comparison.test(">=", v, low), Comparison.test("<=", v, high));
  }

  private Compiled call(Expr.Call call) throws SqlParseException {
    String name = call.name();
    if (call.star() || AGGREGATES.contains(name)) {
      throw refuse(
          call.at(),
          "aggregate function "
              + name
              + " is not supported in a pull query (it reads the view's rows as they are;"
              + " aggregate in the view's query)",
          "a column, an expression or a scalar function");
    }
    if (!ScalarFunctions.supports(name)) {
      throw refuse(
          call.at(),
          "function "
              + name
              + " is not supported in a pull query (docs/sql.md lists those that are)",
          "a supported scalar function");
    }
    List<Compiled> args = new ArrayList<>();
    ValueType wanted = ScalarFunctions.argumentType(name);
    for (Expr arg : call.args()) {
      Compiled compiled = compile(arg);
      if (wanted != null) {
        need(compiled, wanted, arg, name);
      }
      args.add(compiled);
    }
    if (name.equals("IFNULL") || name.equals("NULLIF")) {
      Compiled a = args.get(0);
      Compiled b = args.get(1);
      if (!a.type().comparableWith(b.type())) {
        throw refuse(
            call.args().get(1).at(),
            name + " takes two values of one type, found " + a.type() + " and " + b.type(),
            "a " + a.type() + " value");
      }
    }
    return ScalarFunctions.compile(name, args);
  }

  private Compiled cast(Expr.Cast cast) throws SqlParseException {
    String target = cast.type().name();
    ValueType type = cast.type().arrayDepth() == 0 ? Casts.resultType(target) : null;
    if (type == null) {
      throw refuse(
          cast.at(),
          "CAST to " + cast.type() + " is not supported in a pull query",
          "INTEGER, FLOAT, BOOLEAN, STRING, JSONB, DATE, TIME or TIMESTAMP");
    }
    // As in push queries, a JSON field cast to a scalar type is read as its scalar value.
    boolean jsonScalar = cast.value() instanceof Expr.JsonAccess && !target.equals("JSONB");
    Compiled value = jsonScalar ? json(cast.value(), true) : compile(cast.value());
    if (!Casts.castable(value.type(), type)) {
      throw refuse(cast.at(), "cannot cast " + value.type() + " to " + cast.type(), "another type");
    }
    return new Compiled(type, row -> Casts.cast(value.apply(row), target));
  }

  /** A chain of JSON access from its base; {@code asText} reads the last step as text. */
  private Compiled json(Expr expr, boolean asText) throws SqlParseException {
    List<Object> path = new ArrayList<>();
    Expr base = collect(expr, path);
    Compiled json = compile(base);
    need(json, ValueType.STRING, base, "JSON access");
    boolean text = asText || expr instanceof Expr.JsonAccess access && access.op().endsWith(">>");
    JsonSteps.Path steps = new JsonSteps.Path(List.copyOf(path), text);
    return new Compiled(ValueType.STRING, row -> JsonSteps.read(json.apply(row), steps));
  }

  private Expr collect(Expr expr, List<Object> path) throws SqlParseException {
    if (expr instanceof Expr.ArrayAccess access) {
      if (access.slice()) {
        throw refuse(access.at(), "array slices are not supported", "an index: e[i]");
      }
      if (access.value() instanceof Expr.Call || access.value() instanceof Expr.ArrayLiteral) {
        throw refuse(
            access.at(),
            "indexing an array value is not supported in a pull query",
            "a JSON field indexed: f[i]");
      }
      Expr base = collect(access.value(), path);
      path.add(access.from());
      return base;
    }
    if (!(expr instanceof Expr.JsonAccess access)) {
      return expr;
    }
    Expr base = collect(access.value(), path);
    if (access.op().startsWith("#")) {
      path.addAll(pathElements(access.key()));
    } else if (access.key() instanceof Expr.Literal literal
        && literal.kind() == Expr.LiteralKind.INTEGER
        && !literal.value().startsWith("-")) {
      path.add(Integer.parseInt(literal.value()));
    } else if (access.key() instanceof Expr.Literal literal
        && literal.kind() == Expr.LiteralKind.STRING) {
      path.add(literal.value());
    } else {
      throw refuse(
          access.key().at(),
          "the key after " + access.op() + " must be a constant",
          "a 'field name' or an array index");
    }
    return base;
  }

  /** {@code #>}'s path: {@code '{a,b,0}'} or {@code {'a', 'b', 0}}; all digits is an index. */
  private static List<Object> pathElements(Expr key) throws SqlParseException {
    List<String> elements = new ArrayList<>();
    if (key instanceof Expr.Literal literal && literal.kind() == Expr.LiteralKind.STRING) {
      String text = literal.value().strip();
      if (text.startsWith("{") && text.endsWith("}")) {
        text = text.substring(1, text.length() - 1);
      }
      for (String part : text.split(",")) {
        elements.add(part.strip());
      }
    } else if (key instanceof Expr.ArrayLiteral array) {
      for (Expr element : array.elements()) {
        if (element instanceof Expr.Literal literal
            && (literal.kind() == Expr.LiteralKind.STRING
                || literal.kind() == Expr.LiteralKind.INTEGER)) {
          elements.add(literal.value());
        } else {
          throw refuse(element.at(), "a path element must be a constant", "'key' or 0");
        }
      }
    } else {
      throw refuse(key.at(), "a JSON path must be a constant", "'{key,key,...}'");
    }
    List<Object> out = new ArrayList<>();
    for (String element : elements) {
      if (element.isEmpty()) {
        throw refuse(key.at(), "empty JSON path element", "'{key,key,...}'");
      }
      out.add(
          element.chars().allMatch(Character::isDigit)
              ? (Object) Integer.valueOf(element)
              : element);
    }
    return out;
  }

  private static void need(Compiled compiled, ValueType wanted, Expr at, String what)
      throws SqlParseException {
    if (!compiled.type().fits(wanted)) {
      throw refuse(
          at.at(),
          what + " takes " + wanted + ", found " + compiled.type(),
          "a " + wanted + " value");
    }
  }

  private static void comparable(Compiled a, Compiled b, Expr at) throws SqlParseException {
    if (!a.type().comparableWith(b.type())) {
      throw refuse(
          at.at(), "cannot compare " + a.type() + " with " + b.type(), "values of one type");
    }
  }

  static SqlParseException refuse(Token at, String problem, String expected) {
    return new SqlParseException(problem, at.line(), at.column(), expected);
  }
}
