package io.inlet.cdc.sink;

import java.util.Arrays;
import java.util.List;

/**
 * What a row's statement depends on: an upsert or a delete, the columns it binds in order ({@code
 * parameters}: every column of an upsert, the key columns of a delete), and the key it upserts or
 * deletes by. {@link SinkRowDecoder} hands consecutive rows of one shape the same instance, so the
 * sink finds a row's prepared statement by identity.
 */
final class RowShape {
  private final boolean delete;
  private final List<String> parameters;
  private final List<String> keys;

  /** Where each key column is among the parameters. */
  private final int[] keyPositions;

  RowShape(boolean delete, List<String> parameters, List<String> keys) {
    this.delete = delete;
    this.parameters = List.copyOf(parameters);
    this.keys = List.copyOf(keys);
    this.keyPositions = keys.stream().mapToInt(parameters::indexOf).toArray();
  }

  boolean delete() {
    return delete;
  }

  List<String> parameters() {
    return parameters;
  }

  List<String> keys() {
    return keys;
  }

  /** A row's key values, in key order. */
  List<Object> keyOf(Object[] values) {
    Object[] key = new Object[keyPositions.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = values[keyPositions[i]];
    }
    return Arrays.asList(key);
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof RowShape other
            && delete == other.delete
            && parameters.equals(other.parameters)
            && keys.equals(other.keys));
  }

  @Override
  public int hashCode() {
    return (delete ? 1 : 0) + 31 * parameters.hashCode() + 961 * keys.hashCode();
  }

  @Override
  public String toString() {
    return (delete ? "delete by " : "upsert " + parameters + " by ") + keys;
  }
}
