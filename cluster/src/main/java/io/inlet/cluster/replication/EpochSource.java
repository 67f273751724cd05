package io.inlet.cluster.replication;

/**
 * Gives a shard's new leader its epoch: a number higher than every epoch given before for that
 * shard, so two leaders never share one. In a cluster the metadata group hands them out; tests use
 * {@link InMemoryEpochSource}.
 */
public interface EpochSource {
  /**
   * A fresh epoch for {@code shardId}, at least 1.
   *
   * @throws IllegalStateException when no epoch can be given now (no metadata quorum)
   */
  long nextEpoch(long shardId);
}
