package io.inlet.sql.parse;

import static io.inlet.sql.parse.ExpressionWriter.quote;

import io.inlet.sql.parse.SelectAst.JoinRef;
import io.inlet.sql.parse.SelectAst.StreamRef;
import io.inlet.sql.parse.SelectAst.SubqueryRef;
import io.inlet.sql.parse.SelectAst.TableRef;
import io.inlet.sql.parse.SelectAst.Window;
import io.inlet.sql.parse.SelectAst.WindowKind;
import io.inlet.sql.parse.SelectAst.WindowRef;
import io.inlet.sql.statement.PullSelect;
import io.inlet.sql.statement.SelectQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a SELECT of HStreamDB's SQL to Flink SQL over one table per source stream (the
 * contract in {@code io.inlet.sql.statement}'s package documentation): windows become Flink's
 * window table functions over {@code __event_time}, joins {@code WITHIN} an interval become
 * interval joins, JSON access becomes JSON_QUERY/JSON_VALUE.
 */
final class FlinkTranslator {
  private static final String EVENT_TIME = quote(SelectQuery.EVENT_TIME);
  private static final String WINDOW_START = "window_start";
  private static final String WINDOW_END = "window_end";

  private final String sql;
  private final Map<String, Set<String>> columnsByStream = new LinkedHashMap<>();
  private int derivedTables;

  /** A SELECT as Flink SQL; {@code columns} holds {@code *} where a wildcard stands. */
  private record Rendered(String sql, List<String> columns, boolean updating) {
    boolean hasWildcard() {
      return columns.contains(SelectQuery.ALL_COLUMNS);
    }
  }

  private FlinkTranslator(String sql) {
    this.sql = sql;
  }

  /** A continuous query: push SELECT, CREATE STREAM/VIEW ... AS, INSERT INTO ... SELECT. */
  static SelectQuery continuous(SelectAst select, String sql) throws SqlParseException {
    FlinkTranslator translator = new FlinkTranslator(sql);
    Rendered rendered = translator.select(select, false);
    Map<String, Set<String>> columns = new LinkedHashMap<>();
    translator.columnsByStream.forEach((stream, set) -> columns.put(stream, Set.copyOf(set)));
    return new SelectQuery(
        rendered.sql(), columns, sql.strip(), rendered.columns(), rendered.updating());
  }

  /** A pull query: {@code SELECT ... FROM view [WHERE ...]} over the view's current rows. */
  static PullSelect pull(SelectAst select, String sql) throws SqlParseException {
    if (!(select.from() instanceof StreamRef view) || select.window() != null) {
      throw Cursor.error(
          select.from().at(),
          "a query without EMIT CHANGES reads one view; add EMIT CHANGES for a push query",
          "a view name");
    }
    FlinkTranslator translator = new FlinkTranslator(sql);
    Rendered rendered = translator.select(select, false);
    return new PullSelect(view.name(), rendered.sql(), sql.strip(), select, rendered.columns());
  }

  private Rendered select(SelectAst select, boolean keepEventTime) throws SqlParseException {
    Scope scope = new Scope(columnsByStream);
    ExpressionWriter writer = new ExpressionWriter(scope);
    TableRef from = select.from();
    Window window = select.window();
    if (window != null) {
      if (from instanceof JoinRef || from instanceof WindowRef) {
        throw Cursor.error(
            window.at(),
            from instanceof JoinRef
                ? "a window over a join is not supported yet"
                : "a query has at most one window",
            "GROUP BY columns only");
      }
      from = new WindowRef(window.at(), window, from, alias(from));
    } else if (from instanceof WindowRef w) {
      window = w.window();
    }
    List<String> groupKeys = new ArrayList<>();
    for (Expr.Column column : select.groupBy()) {
      groupKeys.add(column.name());
    }
    boolean[] updating = {false};
    Expr whereExpr = select.where();
    String fromSql;
    if (whereExpr != null
        && from instanceof WindowRef sessions
        && sessions.window().kind() == WindowKind.SESSION
        && sessions.source() instanceof StreamRef
        && !mentionsWindowBounds(whereExpr)) {
      // WHERE filters the records before they form sessions. Left outside the window function,
      // Flink may turn the filtered partition key into a constant and then aggregate the sessions
      // without a window (an updating result: each session emitted again with every record).
      fromSql = window(sessions, scope, groupKeys, updating, writer, whereExpr);
      whereExpr = null;
    } else {
      fromSql = from(from, scope, writer, groupKeys, updating);
    }

    List<String> items = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    for (SelectAst.Item item : select.items()) {
      item(item, scope, writer, items, columns);
    }
    StringBuilder out = new StringBuilder();
    String where = whereExpr == null ? null : writer.write(whereExpr);
    List<String> groupBy = new ArrayList<>();
    for (Expr.Column column : select.groupBy()) {
      groupBy.add(writer.write(column));
    }
    String having = select.having() == null ? null : writer.write(select.having());
    boolean aggregating =
        writer.sawAggregate() || !select.groupBy().isEmpty() || select.window() != null;
    if (window != null && aggregating) {
      // Flink's window aggregation groups by the window's bounds; the result shows them.
      List<String> bounds = new ArrayList<>();
      for (String bound : List.of(WINDOW_START, WINDOW_END)) {
        if (!groupBy.contains(quote(bound))) {
          bounds.add(quote(bound));
        }
        if (!columns.contains(bound)) {
          items.add(quote(bound));
          columns.add(bound);
        }
      }
      groupBy.addAll(0, bounds);
    }
    if (keepEventTime
        && !aggregating
        && !columns.contains(SelectQuery.ALL_COLUMNS)
        && !columns.contains(SelectQuery.EVENT_TIME)) {
      Scope.Source first = scope.sources().get(0);
      items.add((scope.sources().size() > 1 ? quote(first.qualifier()) + "." : "") + EVENT_TIME);
      columns.add(SelectQuery.EVENT_TIME);
    }
    out.append("SELECT ").append(String.join(", ", items)).append(" FROM ").append(fromSql);
    if (where != null) {
      out.append(" WHERE ").append(where);
    }
    if (!groupBy.isEmpty()) {
      out.append(" GROUP BY ").append(String.join(", ", groupBy));
    }
    if (having != null) {
      out.append(" HAVING ").append(having);
    }
    boolean changelog = updating[0] || aggregating && window == null;
    return new Rendered(out.toString(), columns, changelog);
  }

  /** Whether {@code e} reads window_start or window_end (known only after the window). */
  private static boolean mentionsWindowBounds(Expr e) {
    if (e instanceof Expr.Column c) {
      return c.name().equals(WINDOW_START) || c.name().equals(WINDOW_END);
    }
    return parts(e).stream().anyMatch(FlinkTranslator::mentionsWindowBounds);
  }

  /** The expressions {@code e} is made of (none for a literal or a column). */
  private static List<Expr> parts(Expr e) {
    if (e instanceof Expr.Binary b) {
      return List.of(b.left(), b.right());
    }
    if (e instanceof Expr.Unary u) {
      return List.of(u.operand());
    }
    if (e instanceof Expr.Between b) {
      return List.of(b.value(), b.low(), b.high());
    }
    if (e instanceof Expr.IsNull n) {
      return List.of(n.value());
    }
    if (e instanceof Expr.Call c) {
      return c.args();
    }
    if (e instanceof Expr.Cast c) {
      return List.of(c.value());
    }
    if (e instanceof Expr.JsonAccess j) {
      return List.of(j.value(), j.key());
    }
    if (e instanceof Expr.ArrayAccess a) {
      return List.of(a.value());
    }
    if (e instanceof Expr.ArrayLiteral a) {
      return a.elements();
    }
    return List.of();
  }

  private void item(
      SelectAst.Item item,
      Scope scope,
      ExpressionWriter writer,
      List<String> items,
      List<String> columns)
      throws SqlParseException {
    if (item.wildcard()) {
      if (item.wildcardQualifier() == null) {
        for (Scope.Source source : scope.sources()) {
          scope.declareAll(source);
        }
        items.add("*");
      } else {
        Scope.Source source = scope.byQualifier(item.wildcardQualifier());
        if (source == null) {
          throw Cursor.error(
              item.at(), "unknown stream or alias " + item.wildcardQualifier(), "a stream name");
        }
        scope.declareAll(source);
        items.add(quote(item.wildcardQualifier()) + ".*");
      }
      columns.add(SelectQuery.ALL_COLUMNS);
      return;
    }
    String expr = writer.write(item.expr());
    if (item.expr() instanceof Expr.Literal literal && literal.kind() == Expr.LiteralKind.NULL) {
      expr = "CAST(NULL AS STRING)"; // a result column needs a type
    }
    String name;
    if (item.alias() != null) {
      name = item.alias();
    } else if (item.expr() instanceof Expr.Column column) {
      name = column.name();
    } else {
      name = sql.substring(item.at().start(), item.expr().end()).strip().replaceAll("\\s+", " ");
    }
    boolean plainColumn = item.alias() == null && item.expr() instanceof Expr.Column;
    items.add(plainColumn ? expr : expr + " AS " + quote(name));
    columns.add(name);
  }

  private String from(
      TableRef ref,
      Scope scope,
      ExpressionWriter writer,
      List<String> groupKeys,
      boolean[] updating)
      throws SqlParseException {
    if (ref instanceof StreamRef stream) {
      scope.add(new Scope.Source(alias(stream), stream.name(), null));
      return quote(stream.name()) + (stream.alias() == null ? "" : " AS " + quote(stream.alias()));
    }
    if (ref instanceof SubqueryRef subquery) {
      Rendered inner = select(subquery.query(), true);
      updating[0] |= inner.updating();
      String alias = subquery.alias() != null ? subquery.alias() : "__derived" + ++derivedTables;
      scope.add(new Scope.Source(alias, null, inner.hasWildcard() ? null : inner.columns()));
      return "(" + inner.sql() + ") AS " + quote(alias);
    }
    if (ref instanceof WindowRef window) {
      return window(window, scope, groupKeys, updating, writer, null);
    }
    return join((JoinRef) ref, scope, writer, groupKeys, updating);
  }

  /**
   * @param where a condition on the stream's records applied before the window, or null
   */
  private String window(
      WindowRef ref,
      Scope scope,
      List<String> groupKeys,
      boolean[] updating,
      ExpressionWriter writer,
      Expr where)
      throws SqlParseException {
    Window window = ref.window();
    String table;
    String qualifier;
    if (ref.source() instanceof StreamRef stream) {
      qualifier = ref.alias() != null ? ref.alias() : alias(stream);
      scope.add(new Scope.Source(qualifier, stream.name(), null));
      table =
          where == null
              ? "TABLE " + quote(stream.name())
              : "(SELECT * FROM "
                  + quote(stream.name())
                  + " AS "
                  + quote(qualifier)
                  + " WHERE "
                  + writer.write(where)
                  + ")";
    } else if (ref.source() instanceof SubqueryRef subquery) {
      Rendered inner = select(subquery.query(), true);
      updating[0] |= inner.updating();
      qualifier =
          ref.alias() != null
              ? ref.alias()
              : subquery.alias() != null ? subquery.alias() : "__derived" + ++derivedTables;
      scope.add(new Scope.Source(qualifier, null, inner.hasWildcard() ? null : windowed(inner)));
      table = "(" + inner.sql() + ")";
    } else {
      throw Cursor.error(ref.at(), "a window takes a stream or (SELECT ...)", "a stream name");
    }
    String size = Intervals.dayTime(window.size(), "a window's size");
    String descriptor = "DESCRIPTOR(" + EVENT_TIME + ")";
    String call =
        switch (window.kind()) {
          case TUMBLE -> "TUMBLE(" + table + ", " + descriptor + ", " + size + ")";
          case HOP -> {
            String slide = Intervals.dayTime(window.slide(), "a hopping window's slide");
            yield "HOP(" + table + ", " + descriptor + ", " + slide + ", " + size + ")";
          }
          case SESSION -> {
            List<String> keys = new ArrayList<>();
            for (String key : groupKeys) {
              if (!key.equals(WINDOW_START) && !key.equals(WINDOW_END)) {
                keys.add(quote(key));
              }
            }
            String partition =
                keys.isEmpty()
                    ? ""
                    : " PARTITION BY "
                        + (keys.size() == 1 ? keys.get(0) : "(" + String.join(", ", keys) + ")");
            yield "SESSION(" + table + partition + ", " + descriptor + ", " + size + ")";
          }
        };
    return "TABLE(" + call + ") AS " + quote(qualifier);
  }

  private static List<String> windowed(Rendered inner) {
    List<String> columns = new ArrayList<>(inner.columns());
    columns.add(WINDOW_START);
    columns.add(WINDOW_END);
    return columns;
  }

  private String join(
      JoinRef join,
      Scope scope,
      ExpressionWriter writer,
      List<String> groupKeys,
      boolean[] updating)
      throws SqlParseException {
    if (join.kind() == SelectAst.JoinKind.CROSS || join.natural()) {
      throw Cursor.error(
          join.at(),
          (join.natural() ? "NATURAL" : "CROSS")
              + " JOIN is not supported: Flink's interval join needs an equality;"
              + " write JOIN ... ON a.k = b.k WITHIN (...)",
          "JOIN ... ON or JOIN ... USING");
    }
    for (TableRef side : List.of(join.left(), join.right())) {
      if (side instanceof WindowRef) {
        throw Cursor.error(
            side.at(),
            "a windowed table cannot be joined; join the streams and window the result",
            "a stream or (SELECT ...)");
      }
    }
    int leftIndex = scope.sources().size();
    String left = from(join.left(), scope, writer, groupKeys, updating);
    int rightIndex = scope.sources().size();
    String right = from(join.right(), scope, writer, groupKeys, updating);
    Scope.Source leftTime = scope.sources().get(leftIndex);
    Scope.Source rightTime = scope.sources().get(rightIndex);
    List<String> conditions = new ArrayList<>();
    if (join.on() != null) {
      conditions.add(writer.write(join.on()));
    } else {
      for (String column : join.using()) {
        scope.addUsing(column, leftTime, rightTime);
        conditions.add(
            quote(leftTime.qualifier())
                + "."
                + quote(column)
                + " = "
                + quote(rightTime.qualifier())
                + "."
                + quote(column));
      }
    }
    String within = Intervals.dayTime(join.within(), "WITHIN");
    String l = quote(leftTime.qualifier()) + "." + EVENT_TIME;
    String r = quote(rightTime.qualifier()) + "." + EVENT_TIME;
    conditions.add(l + " BETWEEN " + r + " - " + within + " AND " + r + " + " + within);
    String kind =
        switch (join.kind()) {
          case LEFT -> "LEFT JOIN";
          case RIGHT -> "RIGHT JOIN";
          case FULL -> "FULL JOIN";
          default -> "INNER JOIN";
        };
    return left + " " + kind + " " + right + " ON " + String.join(" AND ", conditions);
  }

  /** The name a table is referred to by: its alias, or a stream's name. */
  private static String alias(TableRef ref) {
    if (ref instanceof StreamRef s) {
      return s.alias() != null ? s.alias() : s.name();
    }
    if (ref instanceof SubqueryRef s) {
      return s.alias();
    }
    if (ref instanceof WindowRef w) {
      return w.alias();
    }
    return null;
  }
}
