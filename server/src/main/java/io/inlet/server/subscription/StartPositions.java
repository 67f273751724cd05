package io.inlet.server.subscription;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.naming.ObjectNames;
import io.inlet.store.ShardInfo;
import io.inlet.store.ShardPosition;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import io.inlet.store.SubscriptionInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a subscription resumes on each shard: its committed prefix; without one, the oldest batch
 * (EARLIEST) or the shard's end (LATEST; normally fixed at creation, see {@link SubscriptionRpcs},
 * so this only covers a crash between creating and committing).
 *
 * @param byShard the LSN to deliver from, per shard of the stream
 * @param committed the persisted checkpoints
 */
record StartPositions(Map<Long, Long> byShard, Map<Long, Long> committed) {

  /**
   * Reads the positions from the store (RocksDB reads: never call on an event loop).
   *
   * @param committed the subscription's committed checkpoints
   */
  static StartPositions load(StreamStore store, SubscriptionInfo info, Map<Long, Long> committed) {
    if (info.streamName().equals(ObjectNames.ARCHIVED_STREAM)) {
      throw new InletException(
          ErrorCode.StreamNotFound,
          "subscription \""
              + info.id()
              + "\" read a stream that was deleted with force; it delivers nothing more (delete"
              + " it and subscribe to the new stream)");
    }
    StreamInfo stream =
        store
            .streams()
            .get(info.streamName())
            .orElseThrow(() -> InletException.streamNotFound(info.streamName()));
    Map<Long, Long> byShard = new HashMap<>();
    for (ShardInfo shard : stream.shards()) {
      Long checkpoint = committed.get(shard.shardId());
      if (checkpoint != null) {
        byShard.put(shard.shardId(), checkpoint);
      } else {
        ShardPosition position = store.log().position(shard.shardId());
        byShard.put(
            shard.shardId(), info.startFromLatest() ? position.lastLsn() + 1 : position.firstLsn());
      }
    }
    return new StartPositions(Map.copyOf(byShard), Map.copyOf(committed));
  }

  /** A LATEST shard whose start is not persisted yet: the dispatcher commits it. */
  boolean needsCommit(SubscriptionInfo info, long shardId) {
    return info.startFromLatest() && !committed.containsKey(shardId);
  }
}
