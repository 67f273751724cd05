package io.inlet.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/**
 * Prints records as they arrive. Text: one line per record, {@code RECORD-ID KEY PAYLOAD}, with the
 * columns as wide as the widest value so far. JSON: one document {@code {"<source>": name,
 * "records": [...]}} at the end, or, when the output is unbounded ({@code --follow}), one record
 * object per line (JSON Lines).
 */
final class RecordPrinter {
  private final Output out;
  private final String sourceField;
  private final String sourceName;
  private final boolean unbounded;
  private final ArrayNode collected = Output.array();
  private int idWidth = "RECORD-ID".length();
  private int keyWidth = "KEY".length();
  private long count;

  RecordPrinter(Output out, String sourceField, String sourceName, boolean unbounded) {
    this.out = out;
    this.sourceField = sourceField;
    this.sourceName = sourceName;
    this.unbounded = unbounded;
  }

  void print(RecordView record) {
    count++;
    if (out.json()) {
      if (unbounded) {
        out.documentLine(record.toJson());
      } else {
        collected.add(record.toJson());
      }
      return;
    }
    String id = RecordIds.format(record.id());
    String key = record.key();
    idWidth = Math.max(idWidth, id.length());
    keyWidth = Math.max(keyWidth, key.length());
    PrintWriter writer = out.writer();
    writer.println(pad(id, idWidth) + "  " + pad(key, keyWidth) + "  " + record.payloadText());
    writer.flush();
  }

  long count() {
    return count;
  }

  /** Ends the output: prints the JSON document when one is pending. */
  void finish() {
    if (out.json() && !unbounded) {
      ObjectNode document = Output.object();
      document.put(sourceField, sourceName);
      document.set("records", collected);
      out.document(document);
    }
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
