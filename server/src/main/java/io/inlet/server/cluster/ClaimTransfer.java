package io.inlet.server.cluster;

import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.replication.MetadataEpochSource;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Moves a shard's leader claim ({@value MetadataEpochSource#NAMESPACE}) to another node with a
 * compare-and-set from the claim's epoch: the node named then holds the latest claim without
 * leading, so it leads with a new epoch, as a restarted claimant does (its recovery seals a
 * majority, so no acknowledged entry is lost whoever held the claim before).
 */
final class ClaimTransfer {
  private ClaimTransfer() {}

  /**
   * Writes the claim of {@code shardId} over to {@code nodeId} if the claim of epoch {@code
   * fromEpoch} is still the latest.
   *
   * @return the new claim's epoch; empty when a later claim was made meanwhile or the metadata has
   *     no majority (the caller looks again in its next round)
   */
  static Optional<Long> transfer(
      ReplicatedMetadata metadata, long shardId, long fromEpoch, int nodeId) {
    try {
      return Optional.of(
          metadata
              .write(
                  MetadataWrite.in(MetadataEpochSource.NAMESPACE)
                      .put(
                          Long.toUnsignedString(shardId),
                          Integer.toString(nodeId).getBytes(StandardCharsets.UTF_8),
                          fromEpoch)
                      .build())
              .join());
    } catch (CompletionException e) {
      return Optional.empty();
    }
  }
}
