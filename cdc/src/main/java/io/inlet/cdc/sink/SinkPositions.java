package io.inlet.cdc.sink;

import io.inlet.cdc.state.ConnectorStateSpace;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A sink's position per shard: the LSN of the next batch to write to the table, stored (by {@link
 * SinkPositionWriter}) after the database committed the batches before it, so a crash replays only
 * the transactions committed since the last stored position: at-least-once, made harmless by
 * upserts and deletes by key.
 */
final class SinkPositions {
  private final ConnectorStateSpace state;

  SinkPositions(ConnectorStateSpace state) {
    this.state = state;
  }

  /** Stored positions by shard id. */
  Map<Long, Long> load() {
    Map<Long, Long> out = new HashMap<>();
    state
        .store()
        .list(state.sinkPositions())
        .forEach(
            (shard, lsn) ->
                out.put(
                    Long.parseUnsignedLong(shard),
                    Long.parseLong(new String(lsn, StandardCharsets.UTF_8))));
    return out;
  }

  /** Durable when it returns. */
  void store(Map<Long, Long> positions) {
    Map<String, byte[]> puts = new HashMap<>();
    positions.forEach(
        (shard, lsn) ->
            puts.put(
                Long.toUnsignedString(shard), Long.toString(lsn).getBytes(StandardCharsets.UTF_8)));
    state.store().apply(state.sinkPositions(), puts, java.util.List.of());
  }
}
