package io.inlet.sql.parse;

/**
 * A data type of HStreamDB's SQL: INTEGER, FLOAT, BOOLEAN, BYTEA, STRING, DATE, TIME, TIMESTAMP,
 * INTERVAL, JSONB, or an array {@code T[]} of one of them.
 *
 * @param name the upper-cased base type
 * @param arrayDepth how many {@code []} follow it
 */
public record SqlType(String name, int arrayDepth) {
  static final java.util.Set<String> NAMES =
      java.util.Set.of(
          "INTEGER",
          "FLOAT",
          "BOOLEAN",
          "BYTEA",
          "STRING",
          "DATE",
          "TIME",
          "TIMESTAMP",
          "INTERVAL",
          "JSONB");

  @Override
  public String toString() {
    return name + "[]".repeat(arrayDepth);
  }
}
