package io.inlet.cluster.replication;

import io.inlet.store.segment.SegmentLog;
import io.inlet.store.segment.SegmentLogOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A node's copies of shards: one segment log ({@code <dir>/log}) holding every shard's entries, and
 * a state file per shard ({@code <dir>/state}). A shard's copy is opened on first use.
 */
final class ReplicaStore implements AutoCloseable {
  private final SegmentLog log;
  private final Path stateDir;
  private final ConcurrentMap<Long, ReplicaShard> shards = new ConcurrentHashMap<>();
  private final ExecutorService notifier =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "inlet-replica-readers");
            thread.setDaemon(true);
            return thread;
          });

  private ReplicaStore(SegmentLog log, Path stateDir) {
    this.log = log;
    this.stateDir = stateDir;
  }

  static ReplicaStore open(Path dir, SegmentLogOptions options) throws IOException {
    Path stateDir = dir.resolve("state");
    Files.createDirectories(stateDir);
    return new ReplicaStore(SegmentLog.open(dir.resolve("log"), options), stateDir);
  }

  ReplicaShard shard(long shardId) {
    return shards.computeIfAbsent(
        shardId,
        id -> {
          try {
            return ReplicaShard.open(id, log, new ShardStateFile(stateDir, id), notifier);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** The log under the copies (for trims and positions). */
  SegmentLog log() {
    return log;
  }

  /**
   * Saves each shard's state, then closes the log (which commits what was queued) and fails what
   * readers wait for.
   */
  @Override
  public void close() {
    try {
      log.close();
    } finally {
      shards.values().forEach(ReplicaShard::saveState);
      ReplicationException closed = new ReplicationException("the replica store closed");
      shards.values().forEach(shard -> shard.failWaiters(closed));
      notifier.shutdown();
    }
  }
}
