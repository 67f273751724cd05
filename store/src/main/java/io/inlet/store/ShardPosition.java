package io.inlet.store;

/**
 * The readable LSN range of a shard. {@code firstLsn} is the oldest batch not trimmed; {@code
 * lastLsn} the newest durable one. An empty shard has {@code lastLsn < firstLsn}; the next append
 * gets {@code lastLsn + 1}. LSNs start at 1.
 */
public record ShardPosition(long firstLsn, long lastLsn) {
  public boolean isEmpty() {
    return lastLsn < firstLsn;
  }
}
