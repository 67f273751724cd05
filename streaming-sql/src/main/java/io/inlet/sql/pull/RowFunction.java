package io.inlet.sql.pull;

/** A compiled expression: its value for one row (the view's cells, in column order). */
@FunctionalInterface
interface RowFunction {
  Object apply(Object[] row);
}
