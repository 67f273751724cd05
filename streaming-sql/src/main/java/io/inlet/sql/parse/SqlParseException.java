package io.inlet.sql.parse;

/**
 * A statement that does not parse, or parses but asks for something Inlet cannot translate: where
 * (1-based line and column of the offending token) and what was expected there.
 */
public final class SqlParseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;
  private final String expected;

  public SqlParseException(String problem, int line, int column, String expected) {
    super("line " + line + ", column " + column + ": " + problem);
    this.line = line;
    this.column = column;
    this.expected = expected;
  }

  /** The 1-based line of the offending token. */
  public int line() {
    return line;
  }

  /** The 1-based column (in characters) of the offending token. */
  public int column() {
    return column;
  }

  /** What the parser expected at that position, e.g. {@code "FROM"} or {@code "an expression"}. */
  public String expected() {
    return expected;
  }
}
