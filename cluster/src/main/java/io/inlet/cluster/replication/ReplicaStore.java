package io.inlet.cluster.replication;

import io.inlet.store.segment.SegmentLog;
import io.inlet.store.segment.SegmentLogOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * A node's copies of shards: one segment log ({@code <dir>/log}) holding every shard's entries, and
 * a state file per shard ({@code <dir>/state}). A shard's copy is opened on first use. A deleted
 * shard ({@link #delete}) leaves only an empty marker ({@code state/shard-<id>.deleted}), so that
 * this node never takes it again, even after a restart (shard ids are never reused).
 *
 * <p>After a failed write (a full disk) the log takes no appends until it is reopened ({@link
 * #reopenLog}); the copies open then are retired, and each is opened again from what the reopened
 * log holds, as after a restart.
 */
final class ReplicaStore implements AutoCloseable {
  private final SegmentLog log;
  private final Path stateDir;
  private final ConcurrentMap<Long, ReplicaShard> shards = new ConcurrentHashMap<>();
  private final Set<Long> deleted = ConcurrentHashMap.newKeySet();
  // Opening, deleting and forgetting copies take the read lock; a reopen of the log the write lock.
  private final ReadWriteLock copies = new ReentrantReadWriteLock();
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
    ReplicaStore store = new ReplicaStore(SegmentLog.open(dir.resolve("log"), options), stateDir);
    try (Stream<Path> files = Files.list(stateDir)) {
      files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.startsWith(PREFIX) && name.endsWith(DELETED_SUFFIX))
          .map(name -> name.substring(PREFIX.length(), name.length() - DELETED_SUFFIX.length()))
          .forEach(id -> store.deleted.add(Long.parseUnsignedLong(id)));
    }
    return store;
  }

  private static final String PREFIX = "shard-";
  private static final String DELETED_SUFFIX = ".deleted";
  private static final String STATE_SUFFIX = ".state";

  /**
   * This node's copy of a shard, opened on first use.
   *
   * @throws ReplicationException when the shard was deleted here
   */
  ReplicaShard shard(long shardId) {
    ReplicaShard open = shards.get(shardId);
    if (open != null) {
      return open;
    }
    copies.readLock().lock();
    try {
      return openCopy(shardId);
    } finally {
      copies.readLock().unlock();
    }
  }

  private ReplicaShard openCopy(long shardId) {
    return shards.computeIfAbsent(
        shardId,
        id -> {
          if (deleted.contains(id)) {
            throw new ReplicationException(
                "shard " + Long.toUnsignedString(id) + " was deleted on this replica");
          }
          try {
            return ReplicaShard.open(id, log, new ShardStateFile(stateDir, id), notifier);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** True when {@code shardId} was deleted on this node: it takes none of its entries again. */
  boolean isDeleted(long shardId) {
    return deleted.contains(shardId);
  }

  /** The shards this node holds a copy of (entries or state), deleted ones excluded. */
  Set<Long> shardIds() {
    Set<Long> ids = new HashSet<>(shards.keySet());
    ids.addAll(log.shardIds());
    try (Stream<Path> files = Files.list(stateDir)) {
      files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.startsWith(PREFIX) && name.endsWith(STATE_SUFFIX))
          .map(name -> name.substring(PREFIX.length(), name.length() - STATE_SUFFIX.length()))
          .forEach(id -> ids.add(Long.parseUnsignedLong(id)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ids.removeAll(deleted);
    return ids;
  }

  /**
   * Deletes this node's copy of a shard for good: writes the durable marker first, then stops the
   * copy taking entries or seals, fails its readers' waits, and removes its entries and state file.
   * Durable when it returns.
   */
  void delete(long shardId) throws IOException {
    Path marker = stateDir.resolve(PREFIX + Long.toUnsignedString(shardId) + DELETED_SUFFIX);
    if (!Files.exists(marker)) {
      Files.createFile(marker);
    }
    try (FileChannel dir = FileChannel.open(stateDir, StandardOpenOption.READ)) {
      dir.force(true);
    }
    ReplicaShard[] removed = new ReplicaShard[1];
    copies.readLock().lock();
    try {
      shards.compute(
          shardId,
          (id, open) -> {
            deleted.add(id);
            removed[0] = open;
            return null;
          });
    } finally {
      copies.readLock().unlock();
    }
    if (removed[0] != null) {
      removed[0].failWaiters(
          new ReplicationException(
              "shard " + Long.toUnsignedString(shardId) + " was deleted on this replica"));
      removed[0].delete().join();
    } else {
      log.deleteShard(shardId).join();
    }
    new ShardStateFile(stateDir, shardId).delete();
  }

  /**
   * Deletes this node's copy of a shard it no longer holds a replica of, only when the copy is
   * still sealed at {@code sealedEpoch}, and without a marker: the shard may be placed here again
   * later, and then starts from an empty copy that catches up from its leader. The check and the
   * deletion happen under the copy's lock, before any later seal or entry: a leader that counts
   * anything on this copy seals it at its own epoch first. Durable when it returns.
   *
   * @return true when the copy was deleted; false when it was sealed at another epoch meanwhile
   */
  boolean forget(long shardId, long sealedEpoch) {
    copies.readLock().lock();
    try {
      return forgetCopy(shardId, sealedEpoch);
    } finally {
      copies.readLock().unlock();
    }
  }

  private boolean forgetCopy(long shardId, long sealedEpoch) {
    boolean[] forgotten = new boolean[1];
    shards.compute(
        shardId,
        (id, open) -> {
          if (deleted.contains(id)) {
            return open;
          }
          ReplicaShard copy = open;
          try {
            if (copy == null) {
              copy = ReplicaShard.open(id, log, new ShardStateFile(stateDir, id), notifier);
            }
            CompletableFuture<Void> deletion = copy.deleteIfSealedAt(sealedEpoch);
            if (deletion == null) {
              return copy;
            }
            // Within the map's lock for this shard: no new copy opens before the log and the
            // state file are gone.
            deletion.join();
            new ShardStateFile(stateDir, id).delete();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          copy.failWaiters(
              new ReplicationException(
                  "shard " + Long.toUnsignedString(id) + " is no longer kept on this node"));
          forgotten[0] = true;
          return null;
        });
    return forgotten[0];
  }

  /**
   * Reopens the log after a failed write, with no copy opening, deleted or forgotten meanwhile: the
   * open copies are retired first (each fails what it is asked from then on, and its waiters), so
   * none keeps a tail or epoch table the reopen cut back; each opens again on its next use, from
   * the reopened log and its state file, as after a restart.
   *
   * @param reopen reopens the log ({@link SegmentLog#reopen()})
   * @return false when the copies were busy for a second: nothing was done
   */
  boolean reopenLog(Runnable reopen) throws InterruptedException {
    if (!copies.writeLock().tryLock(1, TimeUnit.SECONDS)) {
      return false;
    }
    try {
      ReplicationException retired =
          new ReplicationException(
              "this node's replica log is being reopened after a failed write; try again");
      shards.values().forEach(shard -> shard.retire(retired));
      shards.clear();
      reopen.run();
      return true;
    } finally {
      copies.writeLock().unlock();
    }
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
