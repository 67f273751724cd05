package io.inlet.sql.shell;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A statement's result set (rows as {@code google.protobuf.Struct}) as a bordered text table: one
 * column per field name, in the order the rows first show them; a missing field is blank.
 */
final class ResultTable {
  private ResultTable() {}

  static List<String> render(List<Struct> rows) {
    Set<String> names = new LinkedHashSet<>();
    for (Struct row : rows) {
      names.addAll(row.getFieldsMap().keySet());
    }
    List<String> columns = new ArrayList<>(names);
    List<String[]> cells = new ArrayList<>();
    for (Struct row : rows) {
      String[] line = new String[columns.size()];
      for (int i = 0; i < columns.size(); i++) {
        Value value = row.getFieldsMap().get(columns.get(i));
        line[i] = value == null ? "" : ValueText.cell(value).replace("\n", "\\n");
      }
      cells.add(line);
    }
    int[] widths = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      widths[i] = columns.get(i).length();
      for (String[] line : cells) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    String border = border(widths);
    out.add(border);
    out.add(line(columns.toArray(String[]::new), widths));
    out.add(border);
    for (String[] line : cells) {
      out.add(line(line, widths));
    }
    out.add(border);
    return out;
  }

  private static String border(int[] widths) {
    StringBuilder line = new StringBuilder("+");
    for (int width : widths) {
      line.append("-".repeat(width + 2)).append('+');
    }
    return line.toString();
  }

  private static String line(String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      line.append(' ')
          .append(cells[i])
          .append(" ".repeat(widths[i] - cells[i].length()))
          .append(" |");
    }
    return line.toString();
  }
}
