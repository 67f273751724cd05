package io.inlet.sql.pull;

/** A compiled expression and its static type. */
record Compiled(ValueType type, RowFunction function) {
  Object apply(Object[] row) {
    return function.apply(row);
  }

  static Compiled constant(ValueType type, Object value) {
    return new Compiled(type, row -> value);
  }
}
