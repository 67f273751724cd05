package io.inlet.sql.parse;

import java.util.List;

/**
 * A value expression of HStreamDB's SQL, as parsed. Every node knows the token it starts at (for
 * error positions) and where it ends (so that an unnamed result column is named by its text).
 */
public sealed interface Expr {
  Token at();

  /** Offset just past the expression's last character. */
  int end();

  /** NULL, TRUE/FALSE, a number, a string, DATE/TIME/TIMESTAMP '...', INTERVAL n UNIT. */
  record Literal(Token at, int end, LiteralKind kind, String value, String unit) implements Expr {}

  /** {@code c}, {@code "c"} or {@code s.c}; {@code qualifier} is null when unqualified. */
  record Column(Token at, int end, String qualifier, String name) implements Expr {}

  /** {@code left op right} for arithmetic, comparison, AND and OR. */
  record Binary(Token at, int end, String op, Expr left, Expr right) implements Expr {}

  /** {@code NOT e} or {@code -e}. */
  record Unary(Token at, int end, String op, Expr operand) implements Expr {}

  /** {@code e [NOT] BETWEEN [SYMMETRIC] low AND high}. */
  record Between(Token at, int end, Expr value, boolean not, boolean symmetric, Expr low, Expr high)
      implements Expr {}

  /** {@code e IS [NOT] NULL} (beyond the grammar, which has no null test). */
  record IsNull(Token at, int end, Expr value, boolean not) implements Expr {}

  /** A function call; {@code star} for {@code COUNT(*)}. {@code name} is upper-cased. */
  record Call(Token at, int end, String name, List<Expr> args, boolean star) implements Expr {}

  /** {@code e::TYPE} or {@code CAST(e AS TYPE)}. */
  record Cast(Token at, int end, Expr value, SqlType type) implements Expr {}

  /** {@code ->}, {@code ->>}, {@code #>} or {@code #>>}. */
  record JsonAccess(Token at, int end, String op, Expr value, Expr key) implements Expr {}

  /** {@code e[i]}, {@code e[i:]}, {@code e[:j]}, {@code e[i:j]}; null bounds are absent. */
  record ArrayAccess(Token at, int end, Expr value, Integer from, Integer to, boolean slice)
      implements Expr {}

  /** {@code {e, ...}}. */
  record ArrayLiteral(Token at, int end, List<Expr> elements) implements Expr {}

  enum LiteralKind {
    NULL,
    BOOLEAN,
    INTEGER,
    DECIMAL,
    STRING,
    DATE,
    TIME,
    TIMESTAMP,
    INTERVAL
  }
}
