package io.inlet.cluster.metadata;

/** How fresh a read of the replicated metadata must be. */
public enum ReadMode {
  /**
   * Sees every write acknowledged before the read started (Raft ReadIndex: the leader confirms it
   * is still leader, and the replica answering waits until it has applied that index).
   */
  LINEARIZABLE,
  /**
   * Reads this voter's replica as it is: no network round trip, possibly behind the leader. On a
   * client node (not a voter) it is the same as {@link #LINEARIZABLE}.
   */
  LOCAL
}
