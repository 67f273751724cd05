package io.inlet.sql.parse;

/**
 * The little JSON the parser writes (INSERT payloads, paths) and checks (JSONB strings); the shell
 * writes its strings the same way.
 */
public final class Json {
  private Json() {}

  /** Appends {@code text} as a JSON string, escaped. */
  public static void string(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Checks that {@code text} is one JSON value (an object, if {@code objectOnly}); the error points
   * at {@code at}, the string literal holding it.
   */
  static void check(String text, Token at, boolean objectOnly) throws SqlParseException {
    Checker checker = new Checker(text);
    try {
      checker.space();
      if (objectOnly && (checker.pos >= text.length() || text.charAt(checker.pos) != '{')) {
        throw new IllegalArgumentException("not a JSON object");
      }
      checker.value();
      checker.space();
      if (checker.pos != text.length()) {
        throw new IllegalArgumentException("text after the JSON value");
      }
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      String problem =
          e instanceof IllegalArgumentException ? e.getMessage() : "unexpected end of JSON";
      throw Cursor.error(
          at,
          "invalid JSON at offset " + checker.pos + ": " + problem,
          objectOnly ? "a JSON object" : "a JSON value");
    }
  }

  /** A strict recursive JSON syntax check (RFC 8259). */
  private static final class Checker {
    private final String text;
    private int pos;

    Checker(String text) {
      this.text = text;
    }

    void value() {
      space();
      char c = text.charAt(pos);
      switch (c) {
        case '{' -> object();
        case '[' -> array();
        case '"' -> string();
        case 't' -> word("true");
        case 'f' -> word("false");
        case 'n' -> word("null");
        default -> number();
      }
    }

    private void object() {
      pos++;
      space();
      if (text.charAt(pos) == '}') {
        pos++;
        return;
      }
      while (true) {
        space();
        string();
        space();
        expect(':');
        value();
        space();
        if (text.charAt(pos) == ',') {
          pos++;
        } else {
          expect('}');
          return;
        }
      }
    }

    private void array() {
      pos++;
      space();
      if (text.charAt(pos) == ']') {
        pos++;
        return;
      }
      while (true) {
        value();
        space();
        if (text.charAt(pos) == ',') {
          pos++;
        } else {
          expect(']');
          return;
        }
      }
    }

    private void string() {
      expect('"');
      while (true) {
        char c = text.charAt(pos++);
        if (c == '"') {
          return;
        }
        if (c < 0x20) {
          throw new IllegalArgumentException("control character in a string");
        }
        if (c == '\\') {
          char e = text.charAt(pos++);
          if (e == 'u') {
            for (int i = 0; i < 4; i++) {
              if (Character.digit(text.charAt(pos++), 16) < 0) {
                throw new IllegalArgumentException("bad \\u escape");
              }
            }
          } else if ("\"\\/bfnrt".indexOf(e) < 0) {
            throw new IllegalArgumentException("bad escape \\" + e);
          }
        }
      }
    }

    private void number() {
      int start = pos;
      if (text.charAt(pos) == '-') {
        pos++;
      }
      if (text.charAt(pos) == '0') {
        pos++;
      } else {
        digits();
      }
      if (pos < text.length() && text.charAt(pos) == '.') {
        pos++;
        digits();
      }
      if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
        pos++;
        if (text.charAt(pos) == '+' || text.charAt(pos) == '-') {
          pos++;
        }
        digits();
      }
      if (pos == start) {
        throw new IllegalArgumentException("unexpected '" + text.charAt(pos) + "'");
      }
    }

    private void digits() {
      int start = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == start) {
        throw new IllegalArgumentException("expected a digit");
      }
    }

    private void word(String word) {
      if (!text.startsWith(word, pos)) {
        throw new IllegalArgumentException("unexpected '" + text.charAt(pos) + "'");
      }
      pos += word.length();
    }

    private void expect(char c) {
      if (text.charAt(pos) != c) {
        throw new IllegalArgumentException("expected '" + c + "'");
      }
      pos++;
    }

    void space() {
      while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
    }
  }
}
