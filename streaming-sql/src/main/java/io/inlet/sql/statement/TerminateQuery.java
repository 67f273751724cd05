package io.inlet.sql.statement;

/** {@code TERMINATE QUERY name}. */
public record TerminateQuery(String name) implements SqlStatement {}
