package io.inlet.cluster.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The shard leaders one node runs: kept by {@link ReplicationNode}, asked by its service. */
final class RunningLeaders {
  private final List<ShardLeader> leaders = new ArrayList<>();

  /** Adds a leader (before its recovery ends), forgetting the stopped ones. */
  synchronized void add(ShardLeader leader) {
    leaders.removeIf(ShardLeader::isStopped);
    leaders.add(leader);
  }

  /**
   * The leader of {@code shardId} that takes appends now: not stopped, and done recovering (until
   * then its committed LSN may be below entries acknowledged under an earlier epoch).
   */
  synchronized Optional<ShardLeader> serving(long shardId) {
    for (ShardLeader leader : leaders) {
      if (leader.shardId() == shardId
          && !leader.isStopped()
          && leader.recovered().isDone()
          && !leader.recovered().isCompletedExceptionally()) {
        return Optional.of(leader);
      }
    }
    return Optional.empty();
  }

  /** True when a leader of {@code shardId} runs here, recovering or not. */
  synchronized boolean leads(long shardId) {
    return leaders.stream().anyMatch(l -> l.shardId() == shardId && !l.isStopped());
  }

  /** Closes and forgets the leaders of {@code shardId}. */
  synchronized void close(long shardId) {
    leaders.removeIf(
        leader -> {
          if (leader.shardId() == shardId) {
            leader.close();
            return true;
          }
          return false;
        });
  }

  /** Closes every leader. */
  void closeAll() {
    List<ShardLeader> all;
    synchronized (this) {
      all = new ArrayList<>(leaders);
    }
    all.forEach(ShardLeader::close);
  }
}
