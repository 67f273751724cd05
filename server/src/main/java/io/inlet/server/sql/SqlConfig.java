package io.inlet.server.sql;

import java.time.Duration;
import java.util.Optional;

/**
 * The SQL engine's settings ({@code sql-*}, defined in {@link SqlConfigKeys}).
 *
 * @param flinkRest a Flink cluster's REST address, or empty for the in-process cluster
 * @param eventTimeField the record field with the event time, or empty for the append time
 */
public record SqlConfig(
    Optional<String> flinkRest,
    Optional<String> eventTimeField,
    Duration allowedLateness,
    Duration checkpointInterval,
    Duration sourceIdleTimeout,
    int restartAttempts,
    Duration restartResetAfter) {}
