package io.inlet.sql.statement;

/** {@code INSERT INTO s SELECT ...}: a persistent query appending into an existing stream. */
public record InsertSelect(String stream, SelectQuery query) implements SqlStatement {}
