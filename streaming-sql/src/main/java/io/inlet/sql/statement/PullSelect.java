package io.inlet.sql.statement;

import io.inlet.sql.parse.SelectAst;
import java.util.List;

/**
 * {@code SELECT ... FROM v [WHERE ...]} without EMIT CHANGES: a one-time read of a view's current
 * rows. The engine evaluates {@code select} itself over the view's stored rows ({@code
 * io.inlet.sql.pull}); no Flink job runs.
 *
 * @param flinkSql the query in Flink SQL over one table named after the view, whose columns are the
 *     view's (shown by EXPLAIN-like tools; not run)
 * @param select the parsed query
 * @param columnNames the result column of each select item, in order ({@link
 *     SelectQuery#ALL_COLUMNS} for a wildcard)
 */
public record PullSelect(
    String view, String flinkSql, String originalSql, SelectAst select, List<String> columnNames)
    implements SqlStatement {
  public PullSelect {
    columnNames = List.copyOf(columnNames);
  }
}
