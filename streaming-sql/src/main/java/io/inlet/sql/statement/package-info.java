/**
 * What a SQL statement asks for, independent of the dialect it was written in: the parser ({@code
 * io.inlet.sql.parse}) produces these from HStreamDB's SQL (or passes Flink SQL through), and the
 * engine ({@code io.inlet.sql.engine}) executes them.
 *
 * <p>A continuous query is carried as Flink SQL text ({@link SelectQuery#flinkSql()}) over one
 * table per source stream. The contract between the two sides: the table of stream {@code s} is
 * named {@code s} (quoted with backticks in the text), declares exactly the columns listed in
 * {@link SelectQuery#columnsByStream()} (typed by the engine from a registered schema or from the
 * stream's records; a JSON object or array field is a {@code STRING} holding its JSON text), and
 * has the event-time attribute {@link SelectQuery#EVENT_TIME} with a watermark.
 */
package io.inlet.sql.statement;
