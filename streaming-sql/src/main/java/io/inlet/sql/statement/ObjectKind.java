package io.inlet.sql.statement;

/** The named objects statements list, drop, pause and resume. */
public enum ObjectKind {
  STREAM,
  VIEW,
  QUERY,
  CONNECTOR
}
