package io.inlet.sql.parse;

/**
 * One lexical token.
 *
 * @param text the token's value: a word as written, a quoted identifier or string without its
 *     quotes, a number's digits, a symbol
 * @param start offset of the token's first character in the statement
 * @param end offset just past the token's last character
 */
public record Token(TokenKind kind, String text, int start, int end, int line, int column) {

  /** Whether this is the unquoted word {@code word}, ignoring case. */
  boolean isWord(String word) {
    return kind == TokenKind.WORD && text.equalsIgnoreCase(word);
  }

  boolean isSymbol(String symbol) {
    return kind == TokenKind.SYMBOL && text.equals(symbol);
  }

  /** How the token reads in an error message. */
  String describe() {
    return switch (kind) {
      case END -> "the end of the statement";
      case STRING -> "'" + text + "'";
      case QUOTED_IDENT -> "\"" + text + "\"";
      default -> "'" + text + "'";
    };
  }
}
