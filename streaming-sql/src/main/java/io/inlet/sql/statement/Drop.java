package io.inlet.sql.statement;

/** {@code DROP STREAM|VIEW|QUERY|CONNECTOR name [IF EXISTS]}. */
public record Drop(ObjectKind kind, String name, boolean ifExists) implements SqlStatement {}
