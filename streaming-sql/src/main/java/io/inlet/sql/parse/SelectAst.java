package io.inlet.sql.parse;

import java.util.List;

/**
 * A parsed {@code SELECT items FROM ref [WHERE e] [GROUP BY cols [, window]] [HAVING e]}.
 *
 * @param window the v0.9 window in GROUP BY ({@code TUMBLING (INTERVAL 10 SECOND)}), or null
 */
public record SelectAst(
    Token at,
    int end,
    List<Item> items,
    TableRef from,
    Expr where,
    List<Expr.Column> groupBy,
    Window window,
    Expr having) {

  /**
   * One select item: an expression with an optional alias, {@code *}, or {@code s.*} (then {@code
   * expr} is null and {@code wildcardQualifier} is s).
   */
  public record Item(
      Token at, Expr expr, String alias, boolean wildcard, String wildcardQualifier) {}

  /** {@code INTERVAL n UNIT}. */
  public record Interval(Token at, long amount, String unit) {}

  /** A window: TUMBLE(size), HOP(size, slide) or SESSION(gap). */
  public record Window(Token at, WindowKind kind, Interval size, Interval slide) {}

  public enum WindowKind {
    TUMBLE,
    HOP,
    SESSION
  }

  public enum JoinKind {
    INNER,
    LEFT,
    RIGHT,
    FULL,
    CROSS
  }

  /** What FROM names. */
  public sealed interface TableRef {
    Token at();
  }

  /** A stream by name. */
  public record StreamRef(Token at, String name, String alias) implements TableRef {}

  /** {@code (SELECT ...)}. */
  public record SubqueryRef(Token at, SelectAst query, String alias) implements TableRef {}

  /** {@code TUMBLE(ref, ...)}, {@code HOP(ref, ...)}, {@code SESSION(ref, ...)}. */
  public record WindowRef(Token at, Window window, TableRef source, String alias)
      implements TableRef {}

  /** {@code left [kind] JOIN right ON e | USING (cols) WITHIN (interval)}. */
  public record JoinRef(
      Token at,
      JoinKind kind,
      boolean natural,
      TableRef left,
      TableRef right,
      Expr on,
      List<String> using,
      Interval within)
      implements TableRef {}
}
