package io.inlet.server.sql;

import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.config.ValueParsers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The SQL engine's settings; {@link #settings} builds {@link SqlConfig} from them. */
public final class SqlConfigKeys {
  private SqlConfigKeys() {}

  public static final Option<Optional<String>> SQL_FLINK_REST =
      Option.of(
          "sql-flink-rest",
          "host:port",
          "",
          "<none: an in-process Flink cluster>",
          "A Flink cluster's REST address: SQL queries run there instead of in an in-process"
              + " cluster, reading and writing streams through this node's gRPC port"
              + " (advertised-address:grpc-port).",
          text -> Optional.of(ValueParsers.nonEmpty().apply(text)));

  public static final Option<Optional<String>> SQL_EVENT_TIME_FIELD =
      Option.of(
          "sql-event-time-field",
          "name",
          "",
          "<none: the append time>",
          "The record field holding a record's event time (epoch milliseconds or an ISO-8601"
              + " instant) for the windows of SQL queries; records without it, or every record"
              + " when unset, take the time they were appended.",
          text -> Optional.of(ValueParsers.nonEmpty().apply(text)));

  public static final Option<Duration> SQL_ALLOWED_LATENESS =
      Option.of(
          "sql-allowed-lateness",
          "duration",
          "ms, s, m, h, d",
          "0s",
          "How far a record's event time may be behind the newest one seen and still count in"
              + " SQL windows (the watermark's delay); later records are dropped.",
          ValueParsers.duration(Duration.ZERO));

  public static final Option<Duration> SQL_CHECKPOINT_INTERVAL =
      Option.of(
          "sql-checkpoint-interval",
          "duration",
          "ms, s, m, h, d",
          "5s",
          "How often a SQL query checkpoints its positions and state (where a restart resumes"
              + " after a crash).",
          ValueParsers.duration(Duration.ofMillis(100)));

  public static final Option<Duration> SQL_SOURCE_IDLE_TIMEOUT =
      Option.of(
          "sql-source-idle-timeout",
          "duration",
          "ms, s, m, h, d",
          "10s",
          "How long a shard without new records may hold back the watermark of the SQL queries"
              + " reading its stream. Each shard has its own watermark and a query's is the"
              + " smallest; a shard silent for longer is ignored until it has records again"
              + " (records then behind the watermark are late).",
          ValueParsers.duration(Duration.ofMillis(1)));

  public static final Option<Integer> SQL_RESTART_ATTEMPTS =
      Option.of(
          "sql-restart-attempts",
          "integer",
          "",
          "5",
          "How many times a failing SQL query is restarted (from its last checkpoint, after 1 s,"
              + " then longer, up to 10 s) before it is ABORTED (its status in GetQuery and"
              + " ListQueries; SHOW QUERIES shows the failure). A query that runs"
              + " sql-restart-reset-after without failing has all its restarts again.",
          ValueParsers.intRange(0, 1_000_000));

  public static final Option<Duration> SQL_RESTART_RESET_AFTER =
      Option.of(
          "sql-restart-reset-after",
          "duration",
          "ms, s, m, h, d",
          "10m",
          "How long a SQL query must run without failing for its restart count"
              + " (sql-restart-attempts) to start from zero again.",
          ValueParsers.duration(Duration.ofSeconds(1)));

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(
          SQL_FLINK_REST,
          SQL_EVENT_TIME_FIELD,
          SQL_ALLOWED_LATENESS,
          SQL_CHECKPOINT_INTERVAL,
          SQL_SOURCE_IDLE_TIMEOUT,
          SQL_RESTART_ATTEMPTS,
          SQL_RESTART_RESET_AFTER);

  public static SqlConfig settings(OptionValues values) {
    return new SqlConfig(
        values.get(SQL_FLINK_REST),
        values.get(SQL_EVENT_TIME_FIELD),
        values.get(SQL_ALLOWED_LATENESS),
        values.get(SQL_CHECKPOINT_INTERVAL),
        values.get(SQL_SOURCE_IDLE_TIMEOUT),
        values.get(SQL_RESTART_ATTEMPTS),
        values.get(SQL_RESTART_RESET_AFTER));
  }
}
