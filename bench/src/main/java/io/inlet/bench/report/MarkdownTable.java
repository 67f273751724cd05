package io.inlet.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Markdown table with aligned columns, so it reads well in a terminal and in the docs. */
public final class MarkdownTable {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public MarkdownTable(String... headers) {
    this.headers = List.of(headers);
  }

  public MarkdownTable row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "expected " + headers.size() + " cells, found " + cells.length);
    }
    rows.add(Arrays.stream(cells).map(String::valueOf).toList());
    return this;
  }

  public void print(PrintStream out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    printRow(out, headers, widths);
    StringBuilder rule = new StringBuilder("|");
    for (int width : widths) {
      rule.append("-".repeat(width + 1)).append(":|");
    }
    out.println(rule);
    rows.forEach(row -> printRow(out, row, widths));
    out.flush();
  }

  private static void printRow(PrintStream out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder("|");
    for (int i = 0; i < widths.length; i++) {
      line.append(' ').append(" ".repeat(widths[i] - cells.get(i).length())).append(cells.get(i));
      line.append(" |");
    }
    out.println(line);
  }
}
