package io.inlet.server.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The SQL engine's settings ({@code sql-*}).
 *
 * @param flinkRest a Flink cluster's REST address, or empty for the in-process cluster
 * @param eventTimeField the record field with the event time, or empty for the append time
 */
public record SqlConfig(
    Optional<String> flinkRest,
    Optional<String> eventTimeField,
    Duration allowedLateness,
    Duration checkpointInterval) {

  static SqlConfig from(MqttConfig.Getter get) {
    return new SqlConfig(
        get.get(InletOptions.SQL_FLINK_REST),
        get.get(InletOptions.SQL_EVENT_TIME_FIELD),
        get.get(InletOptions.SQL_ALLOWED_LATENESS),
        get.get(InletOptions.SQL_CHECKPOINT_INTERVAL));
  }
}
