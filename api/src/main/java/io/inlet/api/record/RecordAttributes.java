package io.inlet.api.record;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record header's attributes as they are built for one message: distinct names, kept sorted by
 * name (the order protobuf's deterministic serialization writes a map in), in two arrays instead of
 * a {@code HashMap} and its entries. Not thread-safe; built, then handed to {@link
 * SingleRecordBatch}.
 */
public final class RecordAttributes {
  private String[] names;
  private String[] values;
  private int size;

  /** An empty set with room for {@code expected} attributes before it grows. */
  public RecordAttributes(int expected) {
    names = new String[Math.max(expected, 1)];
    values = new String[names.length];
  }

  /**
   * Adds {@code name = value} unless {@code name} is there already.
   *
   * @return whether it was added
   */
  public boolean putIfAbsent(String name, String value) {
    if (name == null || value == null) {
      throw new NullPointerException("attribute names and values are not null");
    }
    int at = Arrays.binarySearch(names, 0, size, name);
    if (at >= 0) {
      return false;
    }
    int insertion = -at - 1;
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    System.arraycopy(names, insertion, names, insertion + 1, size - insertion);
    System.arraycopy(values, insertion, values, insertion + 1, size - insertion);
    names[insertion] = name;
    values[insertion] = value;
    size++;
    return true;
  }

  public int size() {
    return size;
  }

  /** The {@code index}th name in name order. */
  public String name(int index) {
    return names[index];
  }

  /** The value of {@link #name(int) name(index)}. */
  public String value(int index) {
    return values[index];
  }

  /** The value of {@code name}, or null. */
  public String get(String name) {
    int at = Arrays.binarySearch(names, 0, size, name);
    return at >= 0 ? values[at] : null;
  }

  /** A copy as a map, in name order. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      map.put(names[i], values[i]);
    }
    return map;
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
