package io.inlet.sql.pull;

import org.apache.flink.table.types.logical.LogicalType;

/** The static type of a compiled expression, as far as the checks of a pull query need it. */
enum ValueType {
  NUMBER,
  STRING,
  BOOLEAN,
  DATE,
  TIME,
  TIMESTAMP,
  TIMESTAMP_LTZ,
  /** A NULL literal: fits anywhere. */
  UNKNOWN;

  /** The type of a view column of Flink type {@code type}; other types are read as their text. */
  static ValueType of(LogicalType type) {
    return switch (type.getTypeRoot()) {
      case TINYINT, SMALLINT, INTEGER, BIGINT, FLOAT, DOUBLE, DECIMAL -> NUMBER;
      case BOOLEAN -> BOOLEAN;
      case DATE -> DATE;
      case TIME_WITHOUT_TIME_ZONE -> TIME;
      case TIMESTAMP_WITHOUT_TIME_ZONE -> TIMESTAMP;
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> TIMESTAMP_LTZ;
      default -> STRING;
    };
  }

  boolean isTemporal() {
    return this == DATE || this == TIME || this == TIMESTAMP || this == TIMESTAMP_LTZ;
  }

  /** Whether a value of this type can be compared with one of {@code other}. */
  boolean comparableWith(ValueType other) {
    if (this == UNKNOWN || other == UNKNOWN || this == other) {
      return true;
    }
    if (isTemporal() && other == STRING || this == STRING && other.isTemporal()) {
      return true; // the string is read as a date, time or timestamp
    }
    return isTemporal() && other.isTemporal() && this != TIME && other != TIME;
  }

  /** Whether this type fits where {@code wanted} is needed. */
  boolean fits(ValueType wanted) {
    return this == UNKNOWN || this == wanted;
  }
}
