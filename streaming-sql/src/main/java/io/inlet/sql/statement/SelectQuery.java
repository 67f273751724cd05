package io.inlet.sql.statement;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A SELECT translated to Flink SQL.
 *
 * @param flinkSql the query in Flink SQL, over one table per source stream (package documentation)
 * @param columnsByStream for each source stream, the record fields the query reads
 * @param originalSql the statement as the user wrote it (shown by SHOW QUERIES and GetQuery)
 * @param outputColumns the result's column names, in order
 * @param updating whether the result is a changelog (an aggregate without a window), which only a
 *     view or a keyed sink can hold; a windowed aggregate or a filter is append-only
 */
public record SelectQuery(
    String flinkSql,
    Map<String, Set<String>> columnsByStream,
    String originalSql,
    List<String> outputColumns,
    boolean updating) {

  /** The event-time attribute every source table declares (a field, or the append time). */
  public static final String EVENT_TIME = "__event_time";

  /**
   * In {@link #columnsByStream()}, the query reads every field of the stream ({@code SELECT *} or
   * {@code s.*}): the table declares all the fields the engine knows for it (from a registered
   * schema or from the stream's records), and the Flink text selects them with {@code *} (which
   * then includes {@link #EVENT_TIME}). In {@link #outputColumns()}, it stands where the wildcard's
   * columns go.
   */
  public static final String ALL_COLUMNS = "*";

  public SelectQuery {
    columnsByStream = Map.copyOf(columnsByStream);
    outputColumns = List.copyOf(outputColumns);
  }
}
