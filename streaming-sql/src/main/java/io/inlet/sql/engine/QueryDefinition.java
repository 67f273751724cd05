package io.inlet.sql.engine;

import java.util.List;
import java.util.Map;

/**
 * A persistent query as saved in the node's store: enough to submit the same job again after a
 * restart (the source tables' columns are fixed when the query is created).
 *
 * @param kind what the query writes: a stream (CREATE STREAM AS, INSERT INTO, push queries) or a
 *     view
 * @param target the result stream, or the view
 * @param sources each source stream's columns, in order (without the event-time column)
 * @param output the result's columns
 * @param state what the query should be doing: RUNNING, PAUSED or TERMINATED
 * @param tables the DDL of the Flink tables the job declares besides its source streams (the tables
 *     saved with {@code FLINK CREATE TABLE} when the query was created)
 */
public record QueryDefinition(
    String name,
    Kind kind,
    String sql,
    String flinkSql,
    String target,
    Map<String, List<Column>> sources,
    List<Column> output,
    long createdAt,
    State state,
    String eventTimeField,
    long latenessMs,
    boolean startLatest,
    List<String> tables) {

  public enum Kind {
    STREAM,
    VIEW,
    /** A Flink SQL {@code INSERT INTO table ...} ({@code FLINK} prefix), run as written. */
    FLINK_INSERT
  }

  public enum State {
    RUNNING,
    PAUSED,
    TERMINATED
  }

  public QueryDefinition {
    sources = Map.copyOf(sources);
    output = List.copyOf(output);
    tables = tables == null ? List.of() : List.copyOf(tables); // saved before tables existed
  }

  QueryDefinition withState(State s) {
    return new QueryDefinition(
        name,
        kind,
        sql,
        flinkSql,
        target,
        sources,
        output,
        createdAt,
        s,
        eventTimeField,
        latenessMs,
        startLatest,
        tables);
  }
}
