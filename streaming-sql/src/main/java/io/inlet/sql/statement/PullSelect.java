package io.inlet.sql.statement;

/**
 * {@code SELECT ... FROM v [WHERE ...]} without EMIT CHANGES: a one-time read of a view's current
 * rows.
 *
 * @param flinkSql the query in Flink SQL over one table named after the view, whose columns are the
 *     view's
 */
public record PullSelect(String view, String flinkSql, String originalSql)
    implements SqlStatement {}
