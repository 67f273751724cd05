package io.inlet.cli;

import io.inlet.api.hstream.Shard;
import io.inlet.api.record.PartitionKeys;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the shard for a partition key as HStreamDB clients do: the key's MD5 (see {@link
 * PartitionKeys}) falls into exactly one active shard's inclusive [start, end] range, as listed by
 * ListShards in decimal.
 */
final class ShardRouter {
  private record Range(BigInteger start, BigInteger end, Shard shard) {}

  private final String streamName;
  private final List<Range> ranges = new ArrayList<>();

  ShardRouter(String streamName, List<Shard> shards) {
    this.streamName = streamName;
    for (Shard shard : shards) {
      if (shard.getIsActive()) {
        ranges.add(
            new Range(
                new BigInteger(shard.getStartHashRangeKey()),
                new BigInteger(shard.getEndHashRangeKey()),
                shard));
      }
    }
  }

  /**
   * The shard that owns {@code partitionKey}; a missing key hashes as {@link PartitionKeys#hash}
   * says.
   *
   * @throws CliException when no active shard covers the key's hash
   */
  Shard shardFor(String partitionKey) {
    BigInteger hash = PartitionKeys.hash(partitionKey);
    for (Range range : ranges) {
      if (range.start.compareTo(hash) <= 0 && hash.compareTo(range.end) <= 0) {
        return range.shard;
      }
    }
    throw new CliException("no active shard of stream " + streamName + " covers key hash " + hash);
  }
}
