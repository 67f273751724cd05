package io.inlet.cluster.replication;

/**
 * A shard's leader was replaced: a replica is sealed at a higher epoch than the leader's. Appends
 * that fail with it were not acknowledged (they may or may not survive in the new leader's log).
 */
public final class LeaderFencedException extends ReplicationException {
  private final long shardId;
  private final long sealedEpoch;

  public LeaderFencedException(long shardId, long leaderEpoch, long sealedEpoch) {
    super(
        "shard "
            + Long.toUnsignedString(shardId)
            + ": the leader of epoch "
            + leaderEpoch
            + " was replaced (a replica is sealed at epoch "
            + sealedEpoch
            + ")");
    this.shardId = shardId;
    this.sealedEpoch = sealedEpoch;
  }

  public long shardId() {
    return shardId;
  }

  /** The epoch the replica is sealed at: the new leader's or later. */
  public long sealedEpoch() {
    return sealedEpoch;
  }
}
