package io.inlet.sql.parse;

import io.inlet.sql.parse.Expr.LiteralKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an expression as Flink SQL, resolving its columns in a {@link Scope} (which records the
 * fields each stream's table must declare).
 */
final class ExpressionWriter {
  private final Scope scope;
  private boolean aggregates;

  ExpressionWriter(Scope scope) {
    this.scope = scope;
  }

  /** Whether any expression written so far calls an aggregate function. */
  boolean sawAggregate() {
    return aggregates;
  }

  String write(Expr expr) throws SqlParseException {
    if (expr instanceof Expr.Literal literal) {
      return literal(literal);
    }
    if (expr instanceof Expr.Column column) {
      return column(column);
    }
    if (expr instanceof Expr.Binary binary) {
      return binary.op().equals("%")
          ? "MOD(" + write(binary.left()) + ", " + write(binary.right()) + ")"
          : "(" + write(binary.left()) + " " + binary.op() + " " + write(binary.right()) + ")";
    }
    if (expr instanceof Expr.Unary unary) {
      return "("
          + unary.op()
          + (unary.op().equals("NOT") ? " " : "")
          + write(unary.operand())
          + ")";
    }
    if (expr instanceof Expr.Between between) {
      return "("
          + write(between.value())
          + (between.not() ? " NOT" : "")
          + " BETWEEN "
          + (between.symmetric() ? "SYMMETRIC " : "")
          + write(between.low())
          + " AND "
          + write(between.high())
          + ")";
    }
    if (expr instanceof Expr.IsNull isNull) {
      return "(" + write(isNull.value()) + " IS " + (isNull.not() ? "NOT " : "") + "NULL)";
    }
    if (expr instanceof Expr.Call call) {
      return call(call);
    }
    if (expr instanceof Expr.Cast cast) {
      return cast(cast);
    }
    if (expr instanceof Expr.JsonAccess access) {
      return json(access);
    }
    if (expr instanceof Expr.ArrayAccess access) {
      return arrayAccess(access);
    }
    return array((Expr.ArrayLiteral) expr);
  }

  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  static String string(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static String literal(Expr.Literal literal) {
    return switch (literal.kind()) {
      case NULL, BOOLEAN, INTEGER, DECIMAL -> literal.value();
      case STRING -> string(literal.value());
      case DATE, TIME, TIMESTAMP -> literal.kind().name() + " " + string(literal.value());
      case INTERVAL -> "INTERVAL '" + literal.value() + "' " + literal.unit();
    };
  }

  private String column(Expr.Column column) throws SqlParseException {
    if (column.qualifier() != null) {
      Scope.Source source = scope.byQualifier(column.qualifier());
      if (source == null) {
        List<String> known = new ArrayList<>();
        scope.sources().forEach(s -> known.add(s.qualifier()));
        throw Cursor.error(
            column.at(),
            "unknown stream or alias " + column.qualifier(),
            "one of " + String.join(", ", known));
      }
      if (source.stream() == null
          && !source.has(column.name())
          && !Scope.SYSTEM_COLUMNS.contains(column.name())) {
        throw Cursor.error(
            column.at(),
            "subquery " + source.qualifier() + " has no column " + column.name(),
            "one of " + String.join(", ", source.columns()));
      }
      scope.declare(source, column.name());
      return quote(column.qualifier()) + "." + quote(column.name());
    }
    if (Scope.SYSTEM_COLUMNS.contains(column.name())) {
      return quote(column.name());
    }
    if (scope.isUsing(column.name())) {
      // Joined USING (c): the left table's c, by its qualifier (the ON condition replaced USING).
      return quote(scope.sources().get(0).qualifier()) + "." + quote(column.name());
    }
    scope.declare(scope.resolve(column), column.name());
    return quote(column.name());
  }

  private String call(Expr.Call call) throws SqlParseException {
    if (Functions.isAggregate(call.name())) {
      aggregates = true;
    }
    List<String> args = new ArrayList<>();
    for (int i = 0; i < call.args().size(); i++) {
      Expr arg = call.args().get(i);
      if (i == 1
          && (call.name().equals("DATETOSTRING") || call.name().equals("STRINGTODATE"))
          && arg instanceof Expr.Literal format
          && format.kind() == LiteralKind.STRING) {
        args.add(string(DateFormats.toJava(format)));
      } else if (Functions.takesArray(call.name(), i) && isJsonText(arg)) {
        // A record's array field is its JSON text: read it as an array of strings.
        args.add(jsonArray(arg));
      } else {
        args.add(write(arg));
      }
    }
    return Functions.translate(call, args);
  }

  private static boolean isJsonText(Expr arg) {
    return arg instanceof Expr.Column column && !Scope.SYSTEM_COLUMNS.contains(column.name())
        || arg instanceof Expr.JsonAccess
        || arg instanceof Expr.ArrayAccess access
            && !access.slice()
            && !(access.value() instanceof Expr.Call);
  }

  private String jsonArray(Expr arg) throws SqlParseException {
    String base;
    String path;
    if (arg instanceof Expr.JsonAccess access) {
      JsonPaths.Chain chain = JsonPaths.chain(access);
      base = write(chain.base());
      path = chain.path();
    } else if (arg instanceof Expr.ArrayAccess access) {
      JsonPaths.Chain chain =
          JsonPaths.chain(
              new Expr.JsonAccess(
                  access.at(),
                  access.end(),
                  "->",
                  access.value(),
                  new Expr.Literal(
                      access.at(),
                      access.end(),
                      LiteralKind.INTEGER,
                      Integer.toString(access.from()),
                      null)));
      base = write(chain.base());
      path = chain.path();
    } else {
      base = write(arg);
      path = "$";
    }
    return "JSON_QUERY(" + base + ", " + string(path) + " RETURNING ARRAY<STRING>)";
  }

  private String cast(Expr.Cast cast) throws SqlParseException {
    SqlType type = cast.type();
    if (type.arrayDepth() == 0 && type.name().equals("JSONB")) {
      // A JSON value is carried as its JSON text.
      if (cast.value() instanceof Expr.Literal literal && literal.kind() == LiteralKind.STRING) {
        Json.check(literal.value(), literal.at(), false);
        return string(literal.value());
      }
      return "CAST(" + write(cast.value()) + " AS STRING)";
    }
    if (type.arrayDepth() == 1 && isJsonText(cast.value())) {
      // A JSON array field: its elements as strings, then cast.
      String strings = jsonArray(cast.value());
      return type.name().equals("STRING") || type.name().equals("JSONB")
          ? strings
          : "CAST(" + strings + " AS " + flinkType(type, cast.at()) + ")";
    }
    if (type.arrayDepth() == 0
        && cast.value() instanceof Expr.JsonAccess access
        && !type.name().equals("BYTEA")) {
      // A JSON field read as a scalar: its value, then cast.
      JsonPaths.Chain chain = JsonPaths.chain(access);
      return "CAST(JSON_VALUE("
          + write(chain.base())
          + ", "
          + string(chain.path())
          + ") AS "
          + flinkType(type, cast.at())
          + ")";
    }
    return "CAST(" + write(cast.value()) + " AS " + flinkType(type, cast.at()) + ")";
  }

  /** HStreamDB's type in Flink SQL. */
  static String flinkType(SqlType type, Token at) throws SqlParseException {
    String base =
        switch (type.name()) {
          case "INTEGER" -> "BIGINT";
          case "FLOAT" -> "DOUBLE";
          case "BOOLEAN" -> "BOOLEAN";
          case "BYTEA" -> "BYTES";
          case "STRING", "JSONB" -> "STRING";
          case "DATE" -> "DATE";
          case "TIME" -> "TIME";
          case "TIMESTAMP" -> "TIMESTAMP(3)";
          default ->
              throw Cursor.error(
                  at,
                  "cannot cast to " + type + " (Flink has no interval values in rows)",
                  "another type");
        };
    for (int i = 0; i < type.arrayDepth(); i++) {
      base = "ARRAY<" + base + ">";
    }
    return base;
  }

  private String json(Expr.JsonAccess access) throws SqlParseException {
    JsonPaths.Chain chain = JsonPaths.chain(access);
    String base = write(chain.base());
    String path = string(chain.path());
    if (chain.text()) {
      return "JSON_VALUE(" + base + ", " + path + ")";
    }
    // An object or array as its JSON text; a scalar as its value's text.
    return "COALESCE(JSON_QUERY("
        + base
        + ", "
        + path
        + "), JSON_VALUE("
        + base
        + ", "
        + path
        + "))";
  }

  private String arrayAccess(Expr.ArrayAccess access) throws SqlParseException {
    if (access.slice()) {
      throw Cursor.error(access.at(), "array slices are not supported", "an index: e[i]");
    }
    if (access.value() instanceof Expr.Call || access.value() instanceof Expr.ArrayLiteral) {
      // A Flink array (1-based); HStreamDB counts from 0.
      return write(access.value()) + "[" + (access.from() + 1) + "]";
    }
    // A record field holding a JSON array: its JSON text, indexed by a JSON path.
    return json(
        new Expr.JsonAccess(
            access.at(),
            access.end(),
            "->",
            access.value(),
            new Expr.Literal(
                access.at(),
                access.end(),
                LiteralKind.INTEGER,
                Integer.toString(access.from()),
                null)));
  }

  private String array(Expr.ArrayLiteral array) throws SqlParseException {
    if (array.elements().isEmpty()) {
      throw Cursor.error(array.at(), "an empty array has no type", "at least one element");
    }
    List<String> elements = new ArrayList<>();
    for (Expr element : array.elements()) {
      elements.add(write(element));
    }
    return "ARRAY[" + String.join(", ", elements) + "]";
  }
}
