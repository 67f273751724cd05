package io.inlet.sql.statement;

/** {@code EXPLAIN statement}: the plan, without running anything. */
public record Explain(SqlStatement statement) implements SqlStatement {}
