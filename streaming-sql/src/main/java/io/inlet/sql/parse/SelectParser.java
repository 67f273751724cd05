package io.inlet.sql.parse;

import io.inlet.sql.parse.SelectAst.Interval;
import io.inlet.sql.parse.SelectAst.JoinKind;
import io.inlet.sql.parse.SelectAst.TableRef;
import io.inlet.sql.parse.SelectAst.Window;
import io.inlet.sql.parse.SelectAst.WindowKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code SELECT items FROM ref [WHERE e] [GROUP BY cols] [HAVING e]}, with both window forms: the
 * table functions {@code TUMBLE(s, i)}, {@code HOP(s, size, slide)}, {@code SESSION(s, gap)} in
 * FROM, and v0.9's {@code GROUP BY k, TUMBLING (i) | HOPPING (size, slide) | SESSION (gap)}.
 */
final class SelectParser {
  private static final String SELECT_END =
      "WHERE, GROUP BY, HAVING, EMIT CHANGES, a join or the end of the statement";

  private final Cursor in;
  private final ExpressionParser expressions;

  SelectParser(Cursor in, ExpressionParser expressions) {
    this.in = in;
    this.expressions = expressions;
  }

  SelectAst select() throws SqlParseException {
    Token at = in.expectWord("SELECT");
    List<SelectAst.Item> items = new ArrayList<>();
    items.add(item());
    while (in.acceptSymbol(",")) {
      items.add(item());
    }
    in.expectWord("FROM");
    TableRef from = joins();
    Expr where = null;
    if (in.acceptWord("WHERE")) {
      where = expressions.expression();
    }
    List<Expr.Column> groupBy = new ArrayList<>();
    Window window = null;
    if (in.atWord("GROUP")) {
      in.next();
      in.expectWord("BY");
      do {
        Window w = groupWindow();
        if (w != null) {
          if (window != null) {
            throw Cursor.error(w.at(), "a query has at most one window", "a column name");
          }
          window = w;
        } else {
          Expr column = expressions.expression();
          if (!(column instanceof Expr.Column c)) {
            throw Cursor.error(
                column.at(),
                "GROUP BY takes column names (and one window), not expressions",
                "a column name");
          }
          groupBy.add(c);
        }
      } while (in.acceptSymbol(","));
    }
    Expr having = null;
    if (in.acceptWord("HAVING")) {
      having = expressions.expression();
    }
    return new SelectAst(at, in.lastEnd(), items, from, where, groupBy, window, having);
  }

  private SelectAst.Item item() throws SqlParseException {
    Token at = in.peek();
    if (in.acceptSymbol("*")) {
      return new SelectAst.Item(at, null, null, true, null);
    }
    if (Cursor.isIdentifier(at) && in.peek(1).isSymbol(".") && in.peek(2).isSymbol("*")) {
      in.next();
      in.next();
      in.next();
      return new SelectAst.Item(at, null, null, true, at.text());
    }
    Expr expr = expressions.expression();
    String alias = null;
    if (in.acceptWord("AS")) {
      alias = in.expectIdentifier("a column name");
    }
    return new SelectAst.Item(at, expr, alias, false, null);
  }

  /** v0.9's {@code TUMBLING (i)}, {@code HOPPING (size, slide)}, {@code SESSION (gap)}, or null. */
  private Window groupWindow() throws SqlParseException {
    Token at = in.peek();
    if (at.kind() != TokenKind.WORD || !in.peek(1).isSymbol("(")) {
      return null;
    }
    WindowKind kind =
        switch (at.text().toUpperCase(Locale.ROOT)) {
          case "TUMBLING" -> WindowKind.TUMBLE;
          case "HOPPING" -> WindowKind.HOP;
          case "SESSION" -> WindowKind.SESSION;
          case "SLIDING" ->
              throw Cursor.error(
                  at,
                  "SLIDING windows are not supported (Flink has no sliding window table function);"
                      + " use HOPPING",
                  "TUMBLING, HOPPING or SESSION");
          default -> null;
        };
    if (kind == null) {
      return null;
    }
    in.next();
    in.expectSymbol("(");
    Interval size = expressions.interval();
    Interval slide = null;
    if (kind == WindowKind.HOP) {
      in.expectSymbol(",");
      slide = expressions.interval();
    }
    in.expectSymbol(")");
    return new Window(at, kind, size, slide);
  }

  private TableRef joins() throws SqlParseException {
    TableRef left = aliased();
    while (true) {
      Token at = in.peek();
      boolean natural = in.acceptWord("NATURAL");
      JoinKind kind = joinKind();
      if (kind == null) {
        if (natural) {
          throw in.unexpected("JOIN");
        }
        return left;
      }
      in.expectWord("JOIN");
      TableRef right = aliased();
      Expr on = null;
      List<String> using = List.of();
      if (kind != JoinKind.CROSS && !natural) {
        if (in.acceptWord("ON")) {
          on = expressions.expression();
        } else if (in.acceptWord("USING")) {
          in.expectSymbol("(");
          List<String> columns = new ArrayList<>();
          do {
            columns.add(in.expectIdentifier("a column name"));
          } while (in.acceptSymbol(","));
          in.expectSymbol(")");
          using = columns;
        } else {
          throw in.unexpected("ON or USING");
        }
      }
      in.expectWord("WITHIN");
      in.expectSymbol("(");
      Interval within = expressions.interval();
      in.expectSymbol(")");
      left = new SelectAst.JoinRef(at, kind, natural, left, right, on, using, within);
    }
  }

  private JoinKind joinKind() throws SqlParseException {
    if (in.atWord("JOIN")) {
      return JoinKind.INNER;
    }
    if (in.acceptWord("INNER")) {
      return JoinKind.INNER;
    }
    if (in.acceptWord("CROSS")) {
      return JoinKind.CROSS;
    }
    for (JoinKind kind : List.of(JoinKind.LEFT, JoinKind.RIGHT, JoinKind.FULL)) {
      if (in.acceptWord(kind.name())) {
        in.acceptWord("OUTER");
        return kind;
      }
    }
    return null;
  }

  private TableRef aliased() throws SqlParseException {
    TableRef ref = windowed();
    if (in.acceptWord("AS")) {
      String alias = in.expectIdentifier("an alias");
      if (ref instanceof SelectAst.StreamRef s) {
        ref = new SelectAst.StreamRef(s.at(), s.name(), alias);
      } else if (ref instanceof SelectAst.SubqueryRef s) {
        ref = new SelectAst.SubqueryRef(s.at(), s.query(), alias);
      } else if (ref instanceof SelectAst.WindowRef w) {
        ref = new SelectAst.WindowRef(w.at(), w.window(), w.source(), alias);
      }
    }
    return ref;
  }

  private TableRef windowed() throws SqlParseException {
    Token at = in.peek();
    if (at.kind() == TokenKind.WORD && in.peek(1).isSymbol("(")) {
      String word = at.text().toUpperCase(Locale.ROOT);
      WindowKind kind =
          switch (word) {
            case "TUMBLE" -> WindowKind.TUMBLE;
            case "HOP" -> WindowKind.HOP;
            case "SESSION" -> WindowKind.SESSION;
            default -> null;
          };
      if (kind != null) {
        in.next();
        in.expectSymbol("(");
        TableRef source = source();
        in.expectSymbol(",");
        Interval size = expressions.interval();
        Interval slide = null;
        if (kind == WindowKind.HOP) {
          in.expectSymbol(",");
          slide = expressions.interval();
        }
        in.expectSymbol(")");
        return new SelectAst.WindowRef(at, new Window(at, kind, size, slide), source, null);
      }
    }
    return source();
  }

  /** A stream name or a parenthesized SELECT. */
  private TableRef source() throws SqlParseException {
    Token at = in.peek();
    if (in.acceptSymbol("(")) {
      SelectAst query = select();
      in.expectSymbol(")");
      return new SelectAst.SubqueryRef(at, query, null);
    }
    String name = in.expectIdentifier("a stream name or (SELECT ...)");
    return new SelectAst.StreamRef(at, name, null);
  }

  static String selectEnd() {
    return SELECT_END;
  }
}
