/**
 * Pull queries ({@code SELECT ... FROM view [WHERE ...]}) evaluated in the node over a view's
 * stored rows, without a Flink job.
 *
 * <p>{@link io.inlet.sql.pull.PullPlan#plan} checks and compiles the parsed query against the
 * view's columns once (an unknown column, a type mismatch or a construct this evaluator does not
 * run is refused there, with its line and column); {@link io.inlet.sql.pull.PullPlan#run} then
 * filters and projects the rows.
 *
 * <p>Values while evaluating: {@code null} (SQL NULL), {@link java.lang.Boolean}, {@link
 * java.lang.Long} (integer types), {@link java.lang.Double} (FLOAT, DOUBLE), {@link
 * java.math.BigDecimal} (DECIMAL and decimal literals), {@link java.lang.String} (strings and JSON
 * text), {@link java.time.LocalDate}, {@link java.time.LocalTime}, {@link java.time.LocalDateTime}
 * (TIMESTAMP) and {@link java.time.Instant} (TIMESTAMP_LTZ). Their semantics live in one class per
 * concern: {@link io.inlet.sql.pull.Logic} (three-valued logic), {@link
 * io.inlet.sql.pull.Comparison}, {@link io.inlet.sql.pull.Arithmetic}, {@link
 * io.inlet.sql.pull.Casts}, {@link io.inlet.sql.pull.JsonSteps} and {@link
 * io.inlet.sql.pull.ScalarFunctions}.
 */
package io.inlet.sql.pull;
