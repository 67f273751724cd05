package io.inlet.sql.parse;

import java.util.List;
import java.util.Set;

/** The parser's position in a statement's tokens, with the checks every rule uses. */
final class Cursor {
  /**
   * Words that structure a statement: never read as an identifier unless double-quoted. Every other
   * keyword (DATE, COUNT, STREAM, ...) is a keyword only where the grammar expects it, so that
   * columns such as {@code time} or {@code date} need no quotes.
   */
  static final Set<String> RESERVED =
      Set.of(
          "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "AS", "AND", "OR", "NOT", "EMIT",
          "JOIN", "ON", "WITHIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL",
          "USING", "BETWEEN", "IS", "NULL", "TRUE", "FALSE", "WITH", "VALUES", "INTO");

  private final String sql;
  private final List<Token> tokens;
  private int pos;

  Cursor(String sql, List<Token> tokens) {
    this.sql = sql;
    this.tokens = tokens;
  }

  String sql() {
    return sql;
  }

  Token peek() {
    return tokens.get(pos);
  }

  Token peek(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  Token next() {
    Token token = tokens.get(pos);
    if (token.kind() != TokenKind.END) {
      pos++;
    }
    return token;
  }

  /** The end offset of the last token consumed. */
  int lastEnd() {
    return pos == 0 ? 0 : tokens.get(pos - 1).end();
  }

  boolean atWord(String word) {
    return peek().isWord(word);
  }

  boolean atSymbol(String symbol) {
    return peek().isSymbol(symbol);
  }

  boolean acceptWord(String word) {
    if (atWord(word)) {
      pos++;
      return true;
    }
    return false;
  }

  boolean acceptSymbol(String symbol) {
    if (atSymbol(symbol)) {
      pos++;
      return true;
    }
    return false;
  }

  Token expectWord(String word) throws SqlParseException {
    if (!atWord(word)) {
      throw unexpected(word);
    }
    return next();
  }

  Token expectSymbol(String symbol) throws SqlParseException {
    if (!atSymbol(symbol)) {
      throw unexpected("'" + symbol + "'");
    }
    return next();
  }

  /** One of {@code words}, returned upper-cased. */
  String expectOneOf(String expected, String... words) throws SqlParseException {
    for (String word : words) {
      if (acceptWord(word)) {
        return word;
      }
    }
    throw unexpected(expected);
  }

  /** An identifier: a word that is not reserved, or a double-quoted name. */
  String expectIdentifier(String expected) throws SqlParseException {
    Token token = peek();
    if (isIdentifier(token)) {
      pos++;
      return token.text();
    }
    throw unexpected(expected);
  }

  boolean atIdentifier() {
    return isIdentifier(peek());
  }

  static boolean isIdentifier(Token token) {
    return token.kind() == TokenKind.QUOTED_IDENT
        || token.kind() == TokenKind.WORD
            && !RESERVED.contains(token.text().toUpperCase(java.util.Locale.ROOT));
  }

  long expectInteger(String expected) throws SqlParseException {
    Token token = peek();
    if (token.kind() != TokenKind.INTEGER) {
      throw unexpected(expected);
    }
    pos++;
    try {
      return Long.parseLong(token.text());
    } catch (NumberFormatException e) {
      throw error(token, "integer out of range: " + token.text(), expected);
    }
  }

  SqlParseException unexpected(String expected) {
    Token token = peek();
    return error(token, "expected " + expected + ", found " + token.describe(), expected);
  }

  static SqlParseException error(Token at, String problem, String expected) {
    return new SqlParseException(problem, at.line(), at.column(), expected);
  }
}
