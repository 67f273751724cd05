package io.inlet.cluster.replication;

import io.inlet.cluster.metadata.MetadataException;
import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * Epochs handed out by the cluster's replicated metadata: claiming an epoch for a shard is a write
 * of the claimant's node id under the shard's key in {@value #NAMESPACE}, and the epoch is that
 * write's version (its Raft log index). Log indexes only grow and no two writes share one, so every
 * epoch is higher than every epoch given before, for that shard and any other, whichever node
 * claims it; and the entry tells anyone who claimed the shard's latest epoch.
 */
public final class MetadataEpochSource implements EpochSource {
  /** The metadata namespace of the shards' latest epochs (key: the shard id, unsigned decimal). */
  public static final String NAMESPACE = "shard-epochs";

  private final ReplicatedMetadata metadata;
  private final byte[] claimant;

  public MetadataEpochSource(ReplicatedMetadata metadata) {
    this.metadata = metadata;
    this.claimant = Integer.toString(metadata.settings().selfId()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @throws IllegalStateException when the metadata group did not commit the claim (no majority
   *     within its request timeout); the shard then has no new leader, and the caller may retry
   */
  @Override
  public long nextEpoch(long shardId) {
    String key = Long.toUnsignedString(shardId);
    try {
      return metadata.write(MetadataWrite.put(NAMESPACE, key, claimant)).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof MetadataException) {
        throw new IllegalStateException(
            "no epoch for shard " + key + ": " + cause.getMessage(), cause);
      }
      throw e;
    }
  }
}
