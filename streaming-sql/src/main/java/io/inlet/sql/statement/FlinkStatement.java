package io.inlet.sql.statement;

/** A statement in Flink's own SQL, passed to the planner as written (the client asked for it). */
public record FlinkStatement(String flinkSql) implements SqlStatement {}
