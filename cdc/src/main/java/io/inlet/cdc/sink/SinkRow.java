package io.inlet.cdc.sink;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one stream record asks of the table: a statement's shape and the values it binds, one per
 * {@link RowShape#parameters() parameter} (a JSON number as a Long or Double, text, a Boolean,
 * null, a nested object or list as JSON text). Made by {@link SinkRowDecoder}.
 */
record SinkRow(RowShape shape, Object[] values) {
  boolean delete() {
    return shape.delete();
  }

  List<String> keyColumns() {
    return shape.keys();
  }

  /** The columns the statement binds, by name, in order. */
  Map<String, Object> columns() {
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> names = shape.parameters();
    for (int i = 0; i < values.length; i++) {
      out.put(names.get(i), values[i]);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SinkRow other
        && shape.equals(other.shape)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * shape.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return (delete() ? "delete " : "upsert ") + columns() + " by " + keyColumns();
  }
}
