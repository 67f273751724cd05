package io.inlet.sql.statement;

/** {@code SHOW STREAMS|QUERIES|VIEWS|CONNECTORS}. */
public record Show(ObjectKind kind) implements SqlStatement {}
