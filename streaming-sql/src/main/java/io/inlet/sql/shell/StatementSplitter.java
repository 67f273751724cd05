package io.inlet.sql.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects typed or scripted text and cuts it into statements at each {@code ;} that is not inside
 * a string, a quoted name or a comment.
 */
final class StatementSplitter {
  private final StringBuilder pending = new StringBuilder();
  private char quote; // ' or " while inside one, else 0
  private boolean blockComment;

  /** Adds a line (its newline is added back) and returns the statements it completed. */
  List<String> feedLine(String line) {
    return feed(line + "\n");
  }

  /** Adds text and returns the statements it completed, each with its final {@code ;}. */
  List<String> feed(String text) {
    List<String> complete = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      pending.append(c);
      if (blockComment) {
        if (c == '/' && pending.length() >= 2 && pending.charAt(pending.length() - 2) == '*') {
          blockComment = false;
        }
      } else if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '*' && endsWith("/*")) {
        blockComment = true;
      } else if (c == '-' && endsWith("--") || c == '/' && endsWith("//")) {
        int end = text.indexOf('\n', i + 1);
        int stop = end < 0 ? text.length() : end;
        pending.append(text, i + 1, stop);
        i = stop - 1;
      } else if (c == ';') {
        String statement = pending.toString().strip();
        pending.setLength(0);
        if (!isBlank(statement)) {
          complete.add(statement);
        }
      }
    }
    return complete;
  }

  /** Whether text that is not yet a complete statement is waiting for its {@code ;}. */
  boolean hasPending() {
    return !isBlank(pending.toString());
  }

  /** The unfinished statement (a script's last one may lack its {@code ;}), and clears it. */
  String drain() {
    String rest = pending.toString().strip();
    pending.setLength(0);
    quote = 0;
    blockComment = false;
    return isBlank(rest) ? "" : rest;
  }

  private boolean endsWith(String two) {
    int n = pending.length();
    return n >= 2
        && pending.charAt(n - 2) == two.charAt(0)
        && pending.charAt(n - 1) == two.charAt(1);
  }

  /** Empty, or only whitespace, comments and {@code ;}. */
  static boolean isBlank(String text) {
    String rest = text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)(--|//).*$", " ");
    return rest.replace(";", " ").isBlank();
  }
}
