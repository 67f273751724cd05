package io.inlet.sql.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a statement into tokens, skipping whitespace and comments ({@code //} and {@code --} to
 * the end of the line, {@code /* ... *}{@code /}). Tracks each token's line and column.
 */
final class Lexer {
  /** Longest first, so that {@code ->>} wins over {@code ->}. */
  private static final String[] SYMBOLS = {
    "->>", "#>>", "->", "#>", "::", "<>", "!=", "<=", ">=", "[]", "(", ")", ",", ";", ".", "*", "+",
    "-", "/", "%", "=", "<", ">", ":", "[", "]", "{", "}"
  };

  private final String text;
  private int pos;
  private int line = 1;
  private int lineStart;

  private Lexer(String text) {
    this.text = text;
  }

  static List<Token> tokenize(String text) throws SqlParseException {
    return new Lexer(text).run();
  }

  private List<Token> run() throws SqlParseException {
    List<Token> tokens = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      if (pos >= text.length()) {
        tokens.add(new Token(TokenKind.END, "", pos, pos, line, pos - lineStart + 1));
        return tokens;
      }
      tokens.add(next());
    }
  }

  private Token next() throws SqlParseException {
    int start = pos;
    int column = pos - lineStart + 1;
    char c = text.charAt(pos);
    if (Character.isLetter(c) || c == '_') {
      while (pos < text.length() && isWordPart(text.charAt(pos))) {
        pos++;
      }
      return new Token(TokenKind.WORD, text.substring(start, pos), start, pos, line, column);
    }
    if (Character.isDigit(c)) {
      return number(start, column);
    }
    if (c == '\'' || c == '"') {
      int close = text.indexOf(c, pos + 1);
      if (close < 0) {
        throw new SqlParseException(
            "unterminated " + (c == '\'' ? "string" : "quoted identifier"),
            line,
            column,
            "a closing " + c);
      }
      String body = text.substring(pos + 1, close);
      advanceTo(close + 1);
      return new Token(
          c == '\'' ? TokenKind.STRING : TokenKind.QUOTED_IDENT, body, start, pos, line, column);
    }
    for (String symbol : SYMBOLS) {
      if (text.startsWith(symbol, pos)) {
        pos += symbol.length();
        return new Token(TokenKind.SYMBOL, symbol, start, pos, line, column);
      }
    }
    throw new SqlParseException(
        "unexpected character '" + c + "'", line, column, "a word, a number, a string or a symbol");
  }

  private Token number(int start, int column) {
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    boolean decimal = false;
    if (pos + 1 < text.length()
        && text.charAt(pos) == '.'
        && Character.isDigit(text.charAt(pos + 1))) {
      decimal = true;
      pos++;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      int exponent = pos + 1;
      if (exponent < text.length()
          && (text.charAt(exponent) == '-' || text.charAt(exponent) == '+')) {
        exponent++;
      }
      if (exponent < text.length() && Character.isDigit(text.charAt(exponent))) {
        decimal = true;
        pos = exponent;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
      }
    }
    return new Token(
        decimal ? TokenKind.DECIMAL : TokenKind.INTEGER,
        text.substring(start, pos),
        start,
        pos,
        line,
        column);
  }

  private void skipSpaceAndComments() throws SqlParseException {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c)) {
        advanceTo(pos + 1);
      } else if (text.startsWith("//", pos) || text.startsWith("--", pos)) {
        int end = text.indexOf('\n', pos);
        advanceTo(end < 0 ? text.length() : end);
      } else if (text.startsWith("/*", pos)) {
        int end = text.indexOf("*/", pos + 2);
        if (end < 0) {
          throw new SqlParseException(
              "unterminated comment", line, pos - lineStart + 1, "a closing */");
        }
        advanceTo(end + 2);
      } else {
        return;
      }
    }
  }

  /** Moves to {@code target}, counting the lines crossed. */
  private void advanceTo(int target) {
    for (; pos < target; pos++) {
      if (text.charAt(pos) == '\n') {
        line++;
        lineStart = pos + 1;
      }
    }
  }

  private static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
