package io.inlet.store.segment;

import io.inlet.store.commit.AckDispatch;
import io.inlet.store.commit.CommitDelay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The single writer of a segment log (group commit in two stages). Appenders enqueue; the {@code
 * inlet-segment-writer} thread drains what is queued (up to {@link
 * SegmentLogOptions#maxGroupBytes()}), gives each entry the next LSN of its shard, writes each
 * shard's entries with one gathering write and hands the group to the {@code inlet-segment-flusher}
 * thread, then goes on with the next group while that one is synced. A small group (up to {@link
 * SegmentLogOptions#journalGroupBytes()}) is also written as one frame to the {@link
 * SharedJournal}, and made durable by syncing that one file however many shards it wrote to; a
 * larger one by syncing each segment it wrote to. The flusher takes every group written since its
 * last round, makes the syncs they need (several at once, {@link SegmentSyncs}), and only then
 * moves the shards' durable LSNs and completes the appends, in order: on the flusher itself when no
 * group waits for it and no earlier acks still run, else on the {@code inlet-segment-acks} thread
 * ({@link AckDispatch}: a lone group at a moderate rate is acknowledged one thread hand-off
 * sooner). Writing one group while the previous one is synced keeps both the writes and the disk
 * busy; one sync covers every group written meanwhile.
 *
 * <p>A journaled group written while every earlier group is already synced is synced by the writer
 * itself, which then acks it (or hands its acks off when appends wait): its one journal write is
 * short next to the sync, so handing it to the flusher would only add a thread hand-off to each
 * append's wait (measured: single-record appends +18% through the node, less CPU per append).
 *
 * <p>With a commit delay ({@link SegmentLogOptions#commitDelayNanos()}), an append that finds the
 * writer idle may wait a little for others to share its group ({@link CommitDelay}).
 *
 * <p>Before the journal starts again from its beginning, and before a truncation or deletion of a
 * shard it holds entries of, the writer waits for every written group to be synced and syncs the
 * segments the journal covers (a checkpoint, {@link JournalCoverage}). Truncations and deletions
 * wait until everything written before them is synced. After a failed write or sync the log accepts
 * nothing more: what reached the file is unknown until recovery.
 */
final class SegmentWriter implements AutoCloseable {
  private static final PendingWrite STOP = new PendingWrite(0, null, 0, null);
  private static final WrittenGroup FLUSHER_STOP =
      new WrittenGroup(List.of(), 0, new long[0], List.of(), false);

  private final Path root;
  private final SegmentLogOptions options;
  private final SealedFiles sealedFiles;
  private final ConcurrentMap<Long, ShardSegments> shards;
  private final JournalCoverage journal;
  private final LinkedBlockingQueue<PendingWrite> queue = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<WrittenGroup> toSync = new LinkedBlockingQueue<>();
  private final AckDispatch acks = new AckDispatch(1, "inlet-segment-acks");
  private final SegmentSyncs syncs;
  private final Thread thread;
  private final Thread flusher;
  private final CommitDelay commitDelay;
  private final WriterMeters meters;
  private final Object syncedLock = new Object();
  private long groupsWritten; // writer thread only
  private long groupsSynced; // guarded by syncedLock
  private volatile boolean closing;
  private volatile SegmentLogException failure;

  SegmentWriter(
      Path root,
      SegmentLogOptions options,
      ConcurrentMap<Long, ShardSegments> shards,
      SharedJournal journal,
      SealedFiles sealedFiles,
      WriterMeters meters) {
    this.root = root;
    this.sealedFiles = sealedFiles;
    this.meters = meters;
    this.options = options;
    this.shards = shards;
    this.syncs = new SegmentSyncs(journal, meters);
    this.journal = new JournalCoverage(journal, options.journalGroupBytes(), syncs);
    this.flusher = new Thread(this::flushLoop, "inlet-segment-flusher");
    this.thread = new Thread(this::run, "inlet-segment-writer");
    this.commitDelay = new CommitDelay(options.commitDelayNanos(), thread, meters::delayed);
    flusher.start();
    thread.start();
  }

  CompletableFuture<Long> append(long shardId, SegmentEntry entry) {
    return enqueue(new PendingWrite(shardId, entry, 0, new CompletableFuture<>()));
  }

  /** Queues a truncation: it runs between groups, in queue order with the appends. */
  CompletableFuture<Long> truncateAfter(long shardId, long lsn) {
    return enqueue(new PendingWrite(shardId, null, lsn, new CompletableFuture<>()));
  }

  /** Queues the deletion of a shard's files: it runs in queue order with the appends. */
  CompletableFuture<Long> deleteShard(long shardId) {
    return enqueue(new PendingWrite(shardId, null, PendingWrite.DELETE, new CompletableFuture<>()));
  }

  /** Queues the deletion of a shard's entries and a new, empty start at {@code nextLsn}. */
  CompletableFuture<Long> restartShard(long shardId, long nextLsn) {
    return enqueue(
        new PendingWrite(shardId, null, PendingWrite.DELETE, nextLsn, new CompletableFuture<>()));
  }

  private CompletableFuture<Long> enqueue(PendingWrite pending) {
    CompletableFuture<Long> done = pending.done();
    SegmentLogException failed = failure;
    if (failed != null) {
      return CompletableFuture.failedFuture(failed);
    }
    if (closing) {
      return CompletableFuture.failedFuture(new SegmentLogException("the segment log is closed"));
    }
    queue.add(pending);
    commitDelay.queued(queue.size());
    return done;
  }

  private void run() {
    List<PendingWrite> group = new ArrayList<>();
    Set<ShardSegments> written = new LinkedHashSet<>();
    while (true) {
      PendingWrite first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (first == STOP) {
        return;
      }
      if (first.truncation()) {
        truncate(first);
        continue;
      }
      commitDelay.await(first.submittedNanos(), queue::size, () -> closing);
      group.add(first);
      long bytes = first.entry().payload().length;
      while (bytes < options.maxGroupBytes()) {
        PendingWrite next = queue.peek();
        if (next == null || next == STOP || next.truncation()) {
          break;
        }
        queue.poll();
        group.add(next);
        bytes += next.entry().payload().length;
      }
      commit(group, bytes, written);
      commitDelay.passTook(group.size());
      group.clear();
      written.clear();
    }
  }

  /**
   * Writes {@code group}, whose payloads take {@code payloadBytes}, and hands it to the flusher.
   */
  private void commit(List<PendingWrite> group, long payloadBytes, Set<ShardSegments> written) {
    if (failure != null) {
      fail(group, failure);
      return;
    }
    boolean journaled = journal.takes(group.size(), payloadBytes);
    long[] lsns = new long[group.size()];
    List<ShardSegments.SyncPoint> syncPoints = new ArrayList<>();
    try {
      if (journaled && journal.full(group.size(), payloadBytes)) {
        checkpoint();
      }
      for (int i = 0; i < group.size(); i++) {
        PendingWrite pending = group.get(i);
        ShardSegments shard = shard(pending.shardId());
        lsns[i] = shard.stage(pending.entry());
        written.add(shard);
      }
      for (ShardSegments shard : written) {
        syncPoints.add(shard.write(journaled));
      }
      if (journaled) {
        journal.write(group, lsns, written);
      }
    } catch (IOException | RuntimeException e) {
      for (ShardSegments shard : written) {
        shard.discardStaged();
      }
      failure = new SegmentLogException("a segment write failed; reopen the log to recover", e);
      fail(group, failure);
      return;
    }
    WrittenGroup done =
        new WrittenGroup(List.copyOf(group), payloadBytes, lsns, syncPoints, journaled);
    if (journaled && everyGroupSynced()) {
      flush(List.of(done), queue.isEmpty());
      groupsWritten++;
      synchronized (syncedLock) {
        groupsSynced++;
      }
      return;
    }
    groupsWritten++;
    toSync.add(done);
  }

  /** Whether the flusher has synced every group written so far (and so holds none). */
  private boolean everyGroupSynced() {
    synchronized (syncedLock) {
      return groupsSynced == groupsWritten;
    }
  }

  /**
   * Makes the journal's entries durable in their segments and starts the journal again: waits until
   * every written group is synced, then syncs every segment written to through the journal since
   * the last checkpoint. Writer thread only.
   */
  private void checkpoint() throws IOException {
    long started = System.nanoTime();
    try {
      awaitSynced();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted before a journal checkpoint", e);
    }
    if (failure != null) {
      throw failure;
    }
    journal.checkpoint();
    meters.checkpointed(System.nanoTime() - started);
  }

  /** The flusher: syncs what the writer wrote, a round at a time, and completes its appends. */
  private void flushLoop() {
    List<WrittenGroup> round = new ArrayList<>();
    while (true) {
      try {
        round.add(toSync.take());
      } catch (InterruptedException e) {
        return;
      }
      toSync.drainTo(round);
      boolean stop = round.remove(FLUSHER_STOP);
      flush(round, toSync.isEmpty());
      synchronized (syncedLock) {
        groupsSynced += round.size();
        syncedLock.notifyAll();
      }
      round.clear();
      if (stop) {
        return;
      }
    }
  }

  /**
   * Syncs what {@code round} wrote, moves its shards' durable LSNs and completes its appends: on
   * this thread when {@code nothingWaits} (and no earlier acks still run), else on the ack thread.
   */
  private void flush(List<WrittenGroup> round, boolean nothingWaits) {
    if (round.isEmpty()) {
      return;
    }
    if (failure == null) {
      Map<SegmentFile, ShardSegments.SyncPoint> segmentsToSync = new LinkedHashMap<>();
      Map<SegmentFile, ShardSegments.SyncPoint> reached = new LinkedHashMap<>();
      boolean syncJournal = false;
      int appends = 0;
      long payloadBytes = 0;
      for (WrittenGroup group : round) {
        appends += group.appends().size();
        payloadBytes += group.payloadBytes();
        for (ShardSegments.SyncPoint point : group.syncPoints()) {
          reached.put(point.segment(), point);
          if (!group.journaled()) {
            segmentsToSync.put(point.segment(), point);
          }
        }
        syncJournal |= group.journaled();
      }
      try {
        long started = System.nanoTime();
        if (!options.unsafeSkipFsync()) {
          syncs.force(segmentsToSync.values(), syncJournal);
          segmentsToSync.values().forEach(ShardSegments.SyncPoint::markSynced);
        }
        meters.synced(appends, payloadBytes, System.nanoTime() - started);
        // Unsynced (unsafe), the segments' entries are readable but their synced LSN stays where
        // the last checkpoint left it, so recovery takes a tail cut by a power loss for torn.
        reached.values().forEach(ShardSegments.SyncPoint::markJournaled);
      } catch (IOException | RuntimeException e) {
        failure = new SegmentLogException("a segment sync failed; reopen the log to recover", e);
      }
    }
    SegmentLogException failed = failure;
    List<WrittenGroup> done = List.copyOf(round);
    acks.dispatch(
        () -> {
          for (WrittenGroup group : done) {
            for (int i = 0; i < group.appends().size(); i++) {
              CompletableFuture<Long> append = group.appends().get(i).done();
              if (failed == null) {
                append.complete(group.lsns()[i]);
              } else {
                append.completeExceptionally(failed);
              }
            }
          }
        },
        nothingWaits);
  }

  /** Waits until every group written so far is synced (or failed). Writer thread only. */
  private void awaitSynced() throws InterruptedException {
    synchronized (syncedLock) {
      while (groupsSynced < groupsWritten) {
        syncedLock.wait();
      }
    }
  }

  private void truncate(PendingWrite truncation) {
    if (failure != null) {
      fail(List.of(truncation), failure);
      return;
    }
    try {
      awaitSynced();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(List.of(truncation), new SegmentLogException("interrupted before a truncation"));
      return;
    }
    if (failure != null) {
      fail(List.of(truncation), failure);
      return;
    }
    try {
      ShardSegments shard = shards.get(truncation.shardId());
      if (journal.covers(shard)) {
        checkpoint(); // or a replay would put back what this cuts
      }
      if (truncation.truncateAfter() == PendingWrite.DELETE) {
        if (shard != null) {
          shard.deleteAll();
          shards.remove(truncation.shardId());
          Directories.sync(root);
        }
        if (truncation.restartAt() > 0) {
          shards.put(
              truncation.shardId(),
              ShardSegments.create(
                  root, truncation.shardId(), options, sealedFiles, truncation.restartAt()));
        }
      } else if (shard != null) {
        shard.truncateAfter(truncation.truncateAfter());
      }
    } catch (SegmentLogException e) {
      fail(List.of(truncation), e);
      return;
    } catch (IOException | RuntimeException e) {
      failure = new SegmentLogException("a truncation failed; reopen the log to recover", e);
      fail(List.of(truncation), failure);
      return;
    }
    long lsn = truncation.truncateAfter();
    acks.handOff(() -> truncation.done().complete(lsn));
  }

  private ShardSegments shard(long shardId) throws IOException {
    ShardSegments shard = shards.get(shardId);
    if (shard == null) {
      shard = ShardSegments.create(root, shardId, options, sealedFiles);
      shards.put(shardId, shard);
    }
    return shard;
  }

  private void fail(List<PendingWrite> group, SegmentLogException error) {
    List<PendingWrite> failed = List.copyOf(group);
    acks.handOff(() -> failed.forEach(p -> p.done().completeExceptionally(error)));
  }

  /** Commits what was queued before, fails what comes after, and stops its threads. */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    queue.add(STOP);
    try {
      thread.join();
      toSync.add(FLUSHER_STOP);
      flusher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    syncJournaledSegments();
    SegmentLogException closed = new SegmentLogException("the segment log is closed");
    List<PendingWrite> left = new ArrayList<>();
    queue.drainTo(left);
    left.remove(STOP);
    fail(left, closed);
    syncs.close();
    try {
      acks.shutdown(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * At close, with both threads stopped: syncs the segments written through the journal since its
   * last checkpoint, so a log closed cleanly holds every entry in its segments (recovery after a
   * clean shutdown expects nothing torn). A failure marks the log failed: no clean shutdown.
   */
  private void syncJournaledSegments() {
    if (journal.isEmpty() || failure != null) {
      return;
    }
    try {
      checkpoint();
    } catch (IOException | RuntimeException e) {
      failure = new SegmentLogException("the journal's last checkpoint failed", e);
    }
  }

  /** Why the writer takes no more appends after a failed write, sync or truncation; or null. */
  SegmentLogException failure() {
    return failure;
  }
}
