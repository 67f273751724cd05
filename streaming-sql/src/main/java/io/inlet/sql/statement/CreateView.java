package io.inlet.sql.statement;

/** {@code CREATE VIEW v AS SELECT ...}: a persistent query materialized as a keyed table. */
public record CreateView(String name, SelectQuery query) implements SqlStatement {}
