package io.inlet.sql.parse;

/**
 * HStreamDB's date formats (strftime: {@code %Y-%m-%d %H:%M:%S}) as Flink's (Java's {@code
 * yyyy-MM-dd HH:mm:ss}).
 */
final class DateFormats {
  private DateFormats() {}

  static String toJava(Expr.Literal format) throws SqlParseException {
    String text = format.value();
    StringBuilder out = new StringBuilder();
    StringBuilder quoted = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '%') {
        quoted.append(c);
        continue;
      }
      if (i + 1 >= text.length()) {
        throw Cursor.error(format.at(), "format ends with %", "a format such as %Y-%m-%d");
      }
      flush(quoted, out);
      char spec = text.charAt(++i);
      out.append(
          switch (spec) {
            case 'Y' -> "yyyy";
            case 'y' -> "yy";
            case 'm' -> "MM";
            case 'd' -> "dd";
            case 'H' -> "HH";
            case 'M' -> "mm";
            case 'S' -> "ss";
            case 'b' -> "MMM";
            case 'B' -> "MMMM";
            case 'a' -> "EEE";
            case 'A' -> "EEEE";
            case 'j' -> "DDD";
            case 'p' -> "a";
            case 'I' -> "hh";
            case 'F' -> "yyyy-MM-dd";
            case 'T' -> "HH:mm:ss";
            case '%' -> "%";
            default ->
                throw Cursor.error(
                    format.at(),
                    "unsupported format %" + spec,
                    "one of %Y %y %m %d %H %M %S %b %B %a %A %j %p %I %F %T %%");
          });
    }
    flush(quoted, out);
    return out.toString();
  }

  /** Literal text in a Java pattern: letters quoted, quotes doubled. */
  private static void flush(StringBuilder quoted, StringBuilder out) {
    if (quoted.isEmpty()) {
      return;
    }
    String text = quoted.toString();
    if (text.chars().anyMatch(Character::isLetter) || text.contains("'")) {
      out.append('\'').append(text.replace("'", "''")).append('\'');
    } else {
      out.append(text);
    }
    quoted.setLength(0);
  }
}
