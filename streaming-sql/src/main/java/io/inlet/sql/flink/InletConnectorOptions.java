package io.inlet.sql.flink;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options of the {@code inlet} table connector ({@code WITH ('connector' = 'inlet', ...)}).
 * docs/sql.md lists them for users of any Flink job.
 */
public final class InletConnectorOptions {
  private InletConnectorOptions() {}

  public static final ConfigOption<String> TARGET =
      ConfigOptions.key("target")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The Inlet node's gRPC address, host:port, or in-process:<name> for a channel to a"
                  + " node in the same JVM.");

  public static final ConfigOption<String> STREAM =
      ConfigOptions.key("stream").stringType().noDefaultValue().withDescription("The stream.");

  public static final ConfigOption<StartupMode> STARTUP_MODE =
      ConfigOptions.key("scan.startup.mode")
          .enumType(StartupMode.class)
          .defaultValue(StartupMode.EARLIEST)
          .withDescription(
              "Where a source without checkpointed positions starts in each shard: EARLIEST (the"
                  + " oldest record kept) or LATEST (only records appended after the job starts).");

  public static final ConfigOption<String> EVENT_TIME_FIELD =
      ConfigOptions.key("event-time.field")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The record field holding a record's event time (epoch milliseconds, or an ISO-8601"
                  + " instant); a record without it takes its append time. The column named"
                  + " __event_time (TIMESTAMP_LTZ(3)) receives it.");

  public static final ConfigOption<Boolean> SINK_CHANGELOG =
      ConfigOptions.key("sink.changelog")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "Whether the sink writes every change (with the attributes __op: +I, -U, +U, -D and"
                  + " __seq) rather than only inserted and updated rows.");

  public static final ConfigOption<Duration> SINK_FLUSH_INTERVAL =
      ConfigOptions.key("sink.flush-interval")
          .durationType()
          .defaultValue(Duration.ofMillis(50))
          .withDescription("How long the sink buffers rows before it appends them.");

  public static final ConfigOption<Integer> SINK_BATCH_SIZE =
      ConfigOptions.key("sink.batch-size")
          .intType()
          .defaultValue(2000)
          .withDescription(
              "The most rows the sink puts in one appended batch (batches are appended one after"
                  + " the other, each durable before the next is sent, so fewer, larger batches"
                  + " write faster; sink.flush-interval bounds how long a row waits).");

  /** Where a shard is first read from. */
  public enum StartupMode {
    EARLIEST,
    LATEST
  }
}
