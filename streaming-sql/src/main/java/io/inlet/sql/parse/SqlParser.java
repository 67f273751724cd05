package io.inlet.sql.parse;

import io.inlet.sql.statement.FlinkStatement;
import io.inlet.sql.statement.SqlStatement;
import java.util.Locale;

/**
 * Parses one statement of HStreamDB's SQL (SQL-v1.cf, HStreamDB v0.20, plus v0.9's windows in GROUP
 * BY) into a {@link SqlStatement}, translating every SELECT to Flink SQL.
 *
 * <p>A statement that starts with the word {@code FLINK} is Flink SQL, passed through as a {@link
 * FlinkStatement}: {@code FLINK SELECT ... FROM s;} — everything after the word, without the final
 * {@code ;}.
 *
 * <p>The final {@code ;} is optional; comments are {@code //}, {@code --} and {@code /* *}{@code
 * /}. Keywords are case-insensitive, identifiers case-sensitive ({@code "double quotes"} for
 * reserved words or other characters).
 */
public final class SqlParser {
  /** The word that starts a statement in Flink's own SQL. */
  public static final String FLINK_PREFIX = "FLINK";

  private SqlParser() {}

  /**
   * Parses one statement.
   *
   * @throws SqlParseException if it does not parse, or asks for something with no Flink
   *     translation; it carries the line, column and what was expected there
   */
  public static SqlStatement parse(String sql) throws SqlParseException {
    if (sql == null) {
      throw new SqlParseException("no statement", 1, 1, StatementParser.STATEMENT);
    }
    Cursor in = new Cursor(sql, Lexer.tokenize(sql));
    Token first = in.peek();
    if (first.isWord(FLINK_PREFIX)) {
      return flink(sql, first);
    }
    if (first.kind() == TokenKind.END) {
      throw Cursor.error(first, "empty statement", StatementParser.STATEMENT);
    }
    return new StatementParser(in, sql).statementToEnd();
  }

  private static FlinkStatement flink(String sql, Token prefix) throws SqlParseException {
    String body = sql.substring(prefix.end()).strip();
    while (body.endsWith(";")) {
      body = body.substring(0, body.length() - 1).stripTrailing();
    }
    if (body.isEmpty()) {
      throw new SqlParseException(
          "expected a Flink SQL statement after " + FLINK_PREFIX,
          prefix.line(),
          prefix.column() + prefix.text().length(),
          "a Flink SQL statement");
    }
    return new FlinkStatement(body);
  }

  /** Whether {@code word} starts a passthrough statement (for clients that route by dialect). */
  static boolean isFlinkPrefix(String word) {
    return word.toUpperCase(Locale.ROOT).equals(FLINK_PREFIX);
  }
}
