package io.inlet.sql.statement;

import java.time.Duration;
import java.util.Optional;

/** {@code CREATE STREAM s [WITH (REPLICATE = n, DURATION = INTERVAL ...)]}. */
public record CreateStream(String name, int replicationFactor, Optional<Duration> backlogDuration)
    implements SqlStatement {}
