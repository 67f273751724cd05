package io.inlet.cli;

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
  private final PrintWriter err;
  private final String sourceField;
  private final String sourceName;
  private final boolean unbounded;
  private final ArrayNode collected = Output.array();
  private int idWidth = "RECORD-ID".length();
  private int keyWidth = "KEY".length();
  private long count;
  private long unreadable;

  /**
   * @param err where records that cannot be read are reported (stdout stays parseable)
   */
  RecordPrinter(
      Output out, PrintWriter err, String sourceField, String sourceName, boolean unbounded) {
    this.out = out;
    this.err = err;
    this.sourceField = sourceField;
    this.sourceName = sourceName;
    this.unbounded = unbounded;
  }

  private void print(RecordView record) {
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

  /** Prints a record, or reports on stderr one that cannot be read. */
  void print(ReadEntry entry) {
    if (entry instanceof RecordView record) {
      print(record);
    } else if (entry instanceof ReadEntry.Unreadable skipped) {
      unreadable++;
      err.println(
          "record " + RecordIds.format(skipped.id()) + " cannot be read: " + skipped.reason());
      err.flush();
    }
  }

  /** Records printed (unreadable ones not included). */
  long count() {
    return count;
  }

  /**
   * Ends the output: prints the JSON document when one is pending, and on stderr how many records
   * could not be read.
   */
  void finish() {
    if (out.json() && !unbounded) {
      ObjectNode document = Output.object();
      document.put(sourceField, sourceName);
      document.set("records", collected);
      out.document(document);
    }
    if (unreadable > 0) {
      err.println(
          (unreadable == 1 ? "1 record" : unreadable + " records")
              + " could not be read (reported above)");
      err.flush();
    }
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
