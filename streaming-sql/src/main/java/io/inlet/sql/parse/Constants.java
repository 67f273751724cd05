package io.inlet.sql.parse;

import io.inlet.sql.parse.Expr.LiteralKind;
import java.math.BigDecimal;
import java.math.BigInteger;

/** Constant expressions as text (connector options) and as JSON (INSERT ... VALUES). */
final class Constants {
  static final String CONSTANT =
      "a constant (a number, a 'string', TRUE, FALSE, NULL, DATE/TIME/TIMESTAMP '...' or {...})";

  private Constants() {}

  /** A connector option's value: a string's content, or a number or boolean as written. */
  static String text(Expr value) throws SqlParseException {
    if (value instanceof Expr.Literal literal) {
      switch (literal.kind()) {
        case STRING, INTEGER, DECIMAL, DATE, TIME, TIMESTAMP -> {
          return literal.value();
        }
        case BOOLEAN -> {
          return literal.value().toLowerCase(java.util.Locale.ROOT);
        }
        default -> {}
      }
    }
    throw Cursor.error(value.at(), "an option's value must be a constant", CONSTANT);
  }

  /** Appends {@code value} as JSON. */
  static void json(Expr value, StringBuilder out) throws SqlParseException {
    if (value instanceof Expr.Literal literal && literal.kind() != LiteralKind.INTERVAL) {
      literal(literal, out);
    } else if (value instanceof Expr.ArrayLiteral array) {
      out.append('[');
      for (int i = 0; i < array.elements().size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        json(array.elements().get(i), out);
      }
      out.append(']');
    } else if (value instanceof Expr.Cast cast
        && cast.type().equals(new SqlType("JSONB", 0))
        && cast.value() instanceof Expr.Literal l
        && l.kind() == LiteralKind.STRING) {
      Json.check(l.value(), l.at(), false);
      out.append(l.value().strip());
    } else {
      throw Cursor.error(value.at(), "INSERT ... VALUES takes constants", CONSTANT);
    }
  }

  private static void literal(Expr.Literal literal, StringBuilder out) throws SqlParseException {
    switch (literal.kind()) {
      case NULL -> out.append("null");
      case BOOLEAN -> out.append(literal.value().equals("TRUE") ? "true" : "false");
      case INTEGER -> out.append(new BigInteger(literal.value()));
      case DECIMAL -> {
        BigDecimal number = new BigDecimal(literal.value());
        out.append(number.toString().replace("E+", "E"));
      }
      default -> Json.string(literal.value(), out);
    }
  }
}
