package io.inlet.server.cluster;

import io.inlet.api.record.PartitionKeys;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import java.math.BigInteger;
import java.util.List;

/**
 * A stream as the cluster's replicated catalog keeps it: the stream, and for each of its shards (in
 * the same order) the id of the node that holds the shard's records. With replication factor 1 the
 * owner is chosen once, when the stream is created, and never moves: the records are on that node.
 */
public record PlacedStream(StreamInfo stream, List<Integer> owners) {

  public PlacedStream {
    owners = List.copyOf(owners);
    if (owners.size() != stream.shards().size()) {
      throw new IllegalArgumentException(
          "stream \""
              + stream.name()
              + "\" has "
              + stream.shards().size()
              + " shards but "
              + owners.size()
              + " owners");
    }
  }

  public String name() {
    return stream.name();
  }

  /** The node that holds {@code shardId}, or -1 when it is not a shard of this stream. */
  public int ownerOf(long shardId) {
    List<ShardInfo> shards = stream.shards();
    for (int i = 0; i < shards.size(); i++) {
      if (shards.get(i).shardId() == shardId) {
        return owners.get(i);
      }
    }
    return -1;
  }

  /** The shard whose key range holds the partition key's hash (shards are ordered by range). */
  public ShardInfo shardForKey(String partitionKey) {
    BigInteger hash = PartitionKeys.hash(partitionKey);
    List<ShardInfo> ordered = stream.shards();
    int low = 0;
    int high = ordered.size() - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (ordered.get(mid).startKey().compareTo(hash) <= 0) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return ordered.get(low);
  }
}
