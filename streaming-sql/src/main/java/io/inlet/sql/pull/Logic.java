package io.inlet.sql.pull;

/**
 * SQL's three-valued logic: TRUE, FALSE and UNKNOWN (null). {@code FALSE AND x} is FALSE and {@code
 * TRUE OR x} is TRUE whatever x is; otherwise an UNKNOWN operand makes the result UNKNOWN. A WHERE
 * clause keeps a row only when its condition is TRUE.
 */
final class Logic {
  private Logic() {}

  static Boolean and(Boolean a, Boolean b) {
    if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
      return false;
    }
    return a == null || b == null ? null : true;
  }

  static Boolean or(Boolean a, Boolean b) {
    if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
      return true;
    }
    return a == null || b == null ? null : false;
  }

  static Boolean not(Boolean a) {
    return a == null ? null : !a;
  }

  /** Whether a WHERE condition keeps the row: only TRUE does. */
  static boolean keeps(Object condition) {
    return Boolean.TRUE.equals(condition);
  }
}
