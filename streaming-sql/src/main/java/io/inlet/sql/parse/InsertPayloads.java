package io.inlet.sql.parse;

import io.inlet.sql.parse.Expr.LiteralKind;
import io.inlet.sql.statement.InsertValues;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The record an {@code INSERT INTO s ... VALUES ...} appends. */
final class InsertPayloads {
  private InsertPayloads() {}

  /** {@code INSERT INTO s (a, b) VALUES (1, 'x')}: the JSON object {@code {"a":1,"b":"x"}}. */
  static InsertValues row(
      String stream, List<String> columns, List<Token> columnTokens, List<Expr> values, Token at)
      throws SqlParseException {
    if (columns.size() != values.size()) {
      throw Cursor.error(
          at,
          columns.size() + " columns but " + values.size() + " values",
          columns.size() + " values");
    }
    Set<String> seen = new HashSet<>();
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < columns.size(); i++) {
      if (!seen.add(columns.get(i))) {
        throw Cursor.error(
            columnTokens.get(i), "column " + columns.get(i) + " named twice", "another column");
      }
      if (i > 0) {
        json.append(',');
      }
      Json.string(columns.get(i), json);
      json.append(':');
      Constants.json(values.get(i), json);
    }
    json.append('}');
    return new InsertValues(stream, json.toString().getBytes(StandardCharsets.UTF_8), true);
  }

  /**
   * {@code INSERT INTO s VALUES '{"a": 1}'::JSONB} (a JSON object record) or {@code VALUES
   * '...'::BYTEA} (raw bytes: the string's UTF-8).
   */
  static InsertValues cast(String stream, Expr value) throws SqlParseException {
    String expected = "'...'::JSONB or '...'::BYTEA";
    if (!(value instanceof Expr.Cast cast
        && cast.value() instanceof Expr.Literal literal
        && literal.kind() == LiteralKind.STRING)) {
      throw Cursor.error(
          value.at(),
          "INSERT ... VALUES without columns takes a string cast to JSONB or BYTEA",
          expected);
    }
    byte[] bytes = literal.value().getBytes(StandardCharsets.UTF_8);
    if (cast.type().equals(new SqlType("JSONB", 0))) {
      Json.check(literal.value(), literal.at(), true);
      return new InsertValues(stream, bytes, true);
    }
    if (cast.type().equals(new SqlType("BYTEA", 0))) {
      return new InsertValues(stream, bytes, false);
    }
    throw Cursor.error(cast.at(), "cannot insert a value of type " + cast.type(), expected);
  }
}
