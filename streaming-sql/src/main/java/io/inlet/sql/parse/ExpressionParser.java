package io.inlet.sql.parse;

import io.inlet.sql.parse.Expr.LiteralKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Value expressions, by the grammar's precedence (lowest first): OR; AND; NOT; comparisons;
 * BETWEEN; JSON access ({@code -> ->> #> #>>}); {@code + -}; {@code * / %}; array access; casts
 * ({@code ::}); literals, columns, calls and parentheses.
 */
final class ExpressionParser {
  static final String EXPRESSION = "an expression";
  static final String INTERVAL_UNITS = "SECOND, MINUTE, HOUR, DAY, MONTH or YEAR";

  private final Cursor in;

  ExpressionParser(Cursor in) {
    this.in = in;
  }

  Expr expression() throws SqlParseException {
    Expr left = and();
    while (in.atWord("OR")) {
      in.next();
      Expr right = and();
      left = new Expr.Binary(left.at(), right.end(), "OR", left, right);
    }
    return left;
  }

  private Expr and() throws SqlParseException {
    Expr left = not();
    while (in.atWord("AND")) {
      in.next();
      Expr right = not();
      left = new Expr.Binary(left.at(), right.end(), "AND", left, right);
    }
    return left;
  }

  private Expr not() throws SqlParseException {
    if (in.atWord("NOT")) {
      Token at = in.next();
      Expr operand = not();
      return new Expr.Unary(at, operand.end(), "NOT", operand);
    }
    return comparison();
  }

  private Expr comparison() throws SqlParseException {
    Expr left = between();
    while (true) {
      Token op = in.peek();
      if (op.kind() == TokenKind.SYMBOL
          && List.of("=", "<>", "!=", "<", ">", "<=", ">=").contains(op.text())) {
        in.next();
        Expr right = between();
        left =
            new Expr.Binary(
                left.at(), right.end(), op.text().equals("!=") ? "<>" : op.text(), left, right);
      } else {
        return left;
      }
    }
  }

  private Expr between() throws SqlParseException {
    Expr value = json();
    if (in.atWord("IS")) {
      in.next();
      boolean not = in.acceptWord("NOT");
      in.expectWord("NULL");
      return new Expr.IsNull(value.at(), in.lastEnd(), value, not);
    }
    boolean not = false;
    if (in.atWord("NOT") && in.peek(1).isWord("BETWEEN")) {
      in.next();
      not = true;
    }
    if (!in.acceptWord("BETWEEN")) {
      return value;
    }
    boolean symmetric = in.acceptWord("SYMMETRIC");
    Expr low = json();
    in.expectWord("AND");
    Expr high = json();
    return new Expr.Between(value.at(), high.end(), value, not, symmetric, low, high);
  }

  private Expr json() throws SqlParseException {
    Expr left = additive();
    while (true) {
      Token op = in.peek();
      if (op.kind() == TokenKind.SYMBOL && List.of("->", "->>", "#>", "#>>").contains(op.text())) {
        in.next();
        Expr key = additive();
        left = new Expr.JsonAccess(left.at(), key.end(), op.text(), left, key);
      } else {
        return left;
      }
    }
  }

  private Expr additive() throws SqlParseException {
    Expr left = multiplicative();
    while (in.atSymbol("+") || in.atSymbol("-")) {
      String op = in.next().text();
      Expr right = multiplicative();
      left = new Expr.Binary(left.at(), right.end(), op, left, right);
    }
    return left;
  }

  private Expr multiplicative() throws SqlParseException {
    Expr left = access();
    while (in.atSymbol("*") || in.atSymbol("/") || in.atSymbol("%")) {
      String op = in.next().text();
      Expr right = access();
      left = new Expr.Binary(left.at(), right.end(), op, left, right);
    }
    return left;
  }

  private Expr access() throws SqlParseException {
    Expr value = cast();
    while (in.atSymbol("[")) {
      in.next();
      Integer from = null;
      Integer to = null;
      boolean slice = false;
      if (!in.atSymbol(":")) {
        from = (int) in.expectInteger("an array index");
      }
      if (in.acceptSymbol(":")) {
        slice = true;
        if (!in.atSymbol("]")) {
          to = (int) in.expectInteger("an array index or ']'");
        }
      }
      if (from == null && to == null) {
        throw in.unexpected("an array index");
      }
      in.expectSymbol("]");
      value = new Expr.ArrayAccess(value.at(), in.lastEnd(), value, from, to, slice);
    }
    return value;
  }

  private Expr cast() throws SqlParseException {
    Expr value = primary();
    while (in.acceptSymbol("::")) {
      SqlType type = type();
      value = new Expr.Cast(value.at(), in.lastEnd(), value, type);
    }
    return value;
  }

  SqlType type() throws SqlParseException {
    Token token = in.peek();
    String name = token.kind() == TokenKind.WORD ? token.text().toUpperCase(Locale.ROOT) : "";
    if (!SqlType.NAMES.contains(name)) {
      throw in.unexpected("a type (" + String.join(", ", sortedTypes()) + ")");
    }
    in.next();
    int depth = 0;
    while (in.acceptSymbol("[]")) {
      depth++;
    }
    return new SqlType(name, depth);
  }

  private static List<String> sortedTypes() {
    return List.of(
        "INTEGER",
        "FLOAT",
        "BOOLEAN",
        "BYTEA",
        "STRING",
        "DATE",
        "TIME",
        "TIMESTAMP",
        "INTERVAL",
        "JSONB");
  }

  private Expr primary() throws SqlParseException {
    Token token = in.peek();
    switch (token.kind()) {
      case INTEGER, DECIMAL -> {
        in.next();
        return literal(
            token,
            token.kind() == TokenKind.INTEGER ? LiteralKind.INTEGER : LiteralKind.DECIMAL,
            token.text());
      }
      case STRING -> {
        in.next();
        return literal(token, LiteralKind.STRING, token.text());
      }
      case QUOTED_IDENT -> {
        return column();
      }
      case SYMBOL -> {
        return symbolPrimary(token);
      }
      case WORD -> {
        return wordPrimary(token);
      }
      default -> throw in.unexpected(EXPRESSION);
    }
  }

  private Expr symbolPrimary(Token token) throws SqlParseException {
    if (token.isSymbol("(")) {
      in.next();
      Expr inner = expression();
      in.expectSymbol(")");
      return inner;
    }
    if (token.isSymbol("-") || token.isSymbol("+")) {
      in.next();
      Expr operand = cast();
      if (token.isSymbol("+")) {
        return operand;
      }
      if (operand instanceof Expr.Literal literal
          && (literal.kind() == LiteralKind.INTEGER || literal.kind() == LiteralKind.DECIMAL)
          && !literal.value().startsWith("-")) {
        return new Expr.Literal(token, literal.end(), literal.kind(), "-" + literal.value(), null);
      }
      return new Expr.Unary(token, operand.end(), "-", operand);
    }
    if (token.isSymbol("{")) {
      in.next();
      List<Expr> elements = new ArrayList<>();
      if (!in.atSymbol("}")) {
        elements.add(expression());
        while (in.acceptSymbol(",")) {
          elements.add(expression());
        }
      }
      in.expectSymbol("}");
      return new Expr.ArrayLiteral(token, in.lastEnd(), elements);
    }
    throw in.unexpected(EXPRESSION);
  }

  private Expr wordPrimary(Token token) throws SqlParseException {
    String word = token.text().toUpperCase(Locale.ROOT);
    Token after = in.peek(1);
    switch (word) {
      case "NULL" -> {
        in.next();
        return literal(token, LiteralKind.NULL, "NULL");
      }
      case "TRUE", "FALSE" -> {
        in.next();
        return literal(token, LiteralKind.BOOLEAN, word);
      }
      default -> {}
    }
    if (after.kind() == TokenKind.STRING
        && (word.equals("DATE") || word.equals("TIME") || word.equals("TIMESTAMP"))) {
      in.next();
      in.next();
      return new Expr.Literal(token, after.end(), LiteralKind.valueOf(word), after.text(), null);
    }
    if (word.equals("INTERVAL") && after.kind() == TokenKind.INTEGER) {
      SelectAst.Interval interval = interval();
      return new Expr.Literal(
          token,
          in.lastEnd(),
          LiteralKind.INTERVAL,
          Long.toString(interval.amount()),
          interval.unit());
    }
    if (word.equals("CAST") && after.isSymbol("(")) {
      in.next();
      in.next();
      Expr value = expression();
      in.expectWord("AS");
      SqlType type = type();
      in.expectSymbol(")");
      return new Expr.Cast(token, in.lastEnd(), value, type);
    }
    if (after.isSymbol("(") && !Cursor.RESERVED.contains(word)) {
      return call(token, word);
    }
    if (!Cursor.isIdentifier(token)) {
      throw in.unexpected(EXPRESSION);
    }
    return column();
  }

  private Expr call(Token name, String word) throws SqlParseException {
    in.next();
    in.expectSymbol("(");
    List<Expr> args = new ArrayList<>();
    boolean star = false;
    if (in.atSymbol("*") && in.peek(1).isSymbol(")")) {
      in.next();
      star = true;
    } else if (!in.atSymbol(")")) {
      args.add(expression());
      while (in.acceptSymbol(",")) {
        args.add(expression());
      }
    }
    in.expectSymbol(")");
    return new Expr.Call(name, in.lastEnd(), word, args, star);
  }

  private Expr column() throws SqlParseException {
    Token first = in.peek();
    String name = in.expectIdentifier("a column name");
    if (in.atSymbol(".") && Cursor.isIdentifier(in.peek(1))) {
      in.next();
      String column = in.expectIdentifier("a column name");
      return new Expr.Column(first, in.lastEnd(), name, column);
    }
    return new Expr.Column(first, in.lastEnd(), null, name);
  }

  /** {@code INTERVAL n UNIT}. */
  SelectAst.Interval interval() throws SqlParseException {
    Token at = in.expectWord("INTERVAL");
    long amount = in.expectInteger("the interval's length (an integer)");
    String unit =
        in.expectOneOf(INTERVAL_UNITS, "SECOND", "MINUTE", "HOUR", "DAY", "MONTH", "YEAR");
    return new SelectAst.Interval(at, amount, unit);
  }

  private static Expr literal(Token at, LiteralKind kind, String value) {
    return new Expr.Literal(at, at.end(), kind, value, null);
  }
}
