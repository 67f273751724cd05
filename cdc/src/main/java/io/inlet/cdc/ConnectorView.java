package io.inlet.cdc;

import io.inlet.cdc.config.ConnectorType;
import io.inlet.cdc.config.Target;
import io.inlet.cdc.runtime.ConnectorStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A connector as GetConnector and ListConnectors show it: its definition (config with the password
 * masked), status, totals, and its stored positions as JSON objects (Debezium's source offsets, or
 * a sink's next LSN per shard).
 */
public record ConnectorView(
    String name,
    ConnectorType type,
    Target target,
    Instant createdAt,
    ConnectorStatus status,
    Map<String, String> config,
    List<String> offsets,
    long records,
    long bytes,
    long deadLettered,
    long errors,
    long lagMs) {}
