package io.inlet.store.segment;

import io.inlet.store.commit.AckDispatch;
import io.inlet.store.commit.CommitDelay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The single writer of a segment log (group commit in two stages). Appenders enqueue; the {@code
 * inlet-segment-writer} thread drains what is queued (up to {@link
 * SegmentLogOptions#maxGroupBytes()}), gives each entry the next LSN of its shard, writes each
 * shard's entries with one gathering write and hands the group to the {@code inlet-segment-flusher}
 * thread, then goes on with the next group while that one is synced. A small group (up to {@link
 * SegmentLogOptions#journalGroupBytes()}) is also written as one frame to the {@link
 * SharedJournal}, and made durable by syncing that one file however many shards it wrote to; a
 * larger one by syncing each segment it wrote to. The flusher takes every group written since its
 * last round, makes the syncs they need (several at once from the {@code inlet-segment-sync}
 * threads, so the filesystem can commit them together), and only then moves the shards' durable
 * LSNs and completes the appends, in order: on the flusher itself when no group waits for it and no
 * earlier acks still run, else on the {@code inlet-segment-acks} thread ({@link AckDispatch}: a
 * lone group at a moderate rate is acknowledged one thread hand-off sooner). Writing one group
 * while the previous one is synced keeps both the writes and the disk busy; one sync covers every
 * group written meanwhile.
 *
 * <p>With a commit delay ({@link SegmentLogOptions#commitDelayNanos()}), an append that finds the
 * writer idle may wait a little for others to share its group ({@link CommitDelay}).
 *
 * <p>Before the journal starts again from its beginning, and before a truncation or deletion of a
 * shard it holds entries of, the writer waits for every written group to be synced and syncs the
 * segments the journal covers (a checkpoint). Truncations and deletions wait until everything
 * written before them is synced. After a failed write or sync the log accepts nothing more: what
 * reached the file is unknown until recovery.
 */
final class SegmentWriter implements AutoCloseable {
  /**
   * An append ({@code entry} set), a truncation after {@code truncateAfter}, the deletion of the
   * shard ({@code truncateAfter} {@link #DELETE}), or its deletion and a new start at LSN {@code
   * restartAt} (above 0).
   */
  private record Pending(
      long shardId,
      SegmentEntry entry,
      long truncateAfter,
      long restartAt,
      CompletableFuture<Long> done,
      long submittedNanos)
      implements SharedJournal.SegmentEntryOf {
    Pending(long shardId, SegmentEntry entry, long truncateAfter, CompletableFuture<Long> done) {
      this(shardId, entry, truncateAfter, 0, done, System.nanoTime());
    }

    Pending(
        long shardId,
        SegmentEntry entry,
        long truncateAfter,
        long restartAt,
        CompletableFuture<Long> done) {
      this(shardId, entry, truncateAfter, restartAt, done, System.nanoTime());
    }

    boolean truncation() {
      return entry == null;
    }
  }

  /**
   * A group written and not yet synced: its appends, their LSNs, what its sync must cover, and
   * whether the journal holds it (then syncing the journal makes it durable).
   */
  private record Written(
      List<Pending> appends,
      long payloadBytes,
      long[] lsns,
      List<ShardSegments.SyncPoint> syncPoints,
      boolean journaled) {}

  private static final long DELETE = -1;
  private static final Pending STOP = new Pending(0, null, 0, null);
  private static final Written FLUSHER_STOP =
      new Written(List.of(), 0, new long[0], List.of(), false);

  /** How many segments are fsync'd at once when a group wrote to several shards. */
  private static final int SYNC_THREADS = 16;

  private final Path root;
  private final SegmentLogOptions options;
  private final SealedFiles sealedFiles;
  private final ConcurrentMap<Long, ShardSegments> shards;
  private final SharedJournal journal; // null without one
  private final Set<ShardSegments> journaledShards = new LinkedHashSet<>(); // writer thread only
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Written> toSync = new LinkedBlockingQueue<>();
  private final AckDispatch acks = new AckDispatch(1, "inlet-segment-acks");
  private final ExecutorService syncers;
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
    this.journal = journal;
    AtomicInteger syncerCount = new AtomicInteger();
    this.syncers =
        Executors.newFixedThreadPool(
            SYNC_THREADS,
            r -> new Thread(r, "inlet-segment-sync-" + syncerCount.incrementAndGet()));
    this.flusher = new Thread(this::flushLoop, "inlet-segment-flusher");
    this.thread = new Thread(this::run, "inlet-segment-writer");
    this.commitDelay = new CommitDelay(options.commitDelayNanos(), thread, meters::delayed);
    flusher.start();
    thread.start();
  }

  CompletableFuture<Long> append(long shardId, SegmentEntry entry) {
    return enqueue(new Pending(shardId, entry, 0, new CompletableFuture<>()));
  }

  /** Queues a truncation: it runs between groups, in queue order with the appends. */
  CompletableFuture<Long> truncateAfter(long shardId, long lsn) {
    return enqueue(new Pending(shardId, null, lsn, new CompletableFuture<>()));
  }

  /** Queues the deletion of a shard's files: it runs in queue order with the appends. */
  CompletableFuture<Long> deleteShard(long shardId) {
    return enqueue(new Pending(shardId, null, DELETE, new CompletableFuture<>()));
  }

  /** Queues the deletion of a shard's entries and a new, empty start at {@code nextLsn}. */
  CompletableFuture<Long> restartShard(long shardId, long nextLsn) {
    return enqueue(new Pending(shardId, null, DELETE, nextLsn, new CompletableFuture<>()));
  }

  private CompletableFuture<Long> enqueue(Pending pending) {
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
    List<Pending> group = new ArrayList<>();
    Set<ShardSegments> written = new LinkedHashSet<>();
    while (true) {
      Pending first;
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
        Pending next = queue.peek();
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
  private void commit(List<Pending> group, long payloadBytes, Set<ShardSegments> written) {
    if (failure != null) {
      fail(group, failure);
      return;
    }
    long frameBytes =
        journal == null ? Long.MAX_VALUE : SharedJournal.frameBytes(group.size(), payloadBytes);
    boolean journaled = frameBytes <= options.journalGroupBytes();
    long[] lsns = new long[group.size()];
    List<ShardSegments.SyncPoint> syncPoints = new ArrayList<>();
    try {
      if (journaled && !journal.fits(frameBytes)) {
        checkpoint();
      }
      for (int i = 0; i < group.size(); i++) {
        Pending pending = group.get(i);
        ShardSegments shard = shard(pending.shardId());
        lsns[i] = shard.stage(pending.entry());
        written.add(shard);
      }
      for (ShardSegments shard : written) {
        syncPoints.add(shard.write(journaled));
      }
      if (journaled) {
        journal.write(group, lsns);
        journaledShards.addAll(written);
      }
    } catch (IOException | RuntimeException e) {
      for (ShardSegments shard : written) {
        shard.discardStaged();
      }
      failure = new SegmentLogException("a segment write failed; reopen the log to recover", e);
      fail(group, failure);
      return;
    }
    groupsWritten++;
    toSync.add(new Written(List.copyOf(group), payloadBytes, lsns, syncPoints, journaled));
  }

  /**
   * Makes the journal's entries durable in their segments and starts the journal again: waits until
   * every written group is synced, then syncs every segment written to through the journal since
   * the last checkpoint. Writer thread only.
   */
  private void checkpoint() throws IOException {
    try {
      awaitSynced();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted before a journal checkpoint", e);
    }
    if (failure != null) {
      throw failure;
    }
    List<ShardSegments.SyncPoint> points = new ArrayList<>(journaledShards.size());
    for (ShardSegments shard : journaledShards) {
      points.add(shard.syncPoint());
    }
    force(points, false);
    points.forEach(ShardSegments.SyncPoint::markSynced);
    journaledShards.clear();
    journal.restart();
  }

  /** The flusher: syncs what the writer wrote, a round at a time, and completes its appends. */
  private void flushLoop() {
    List<Written> round = new ArrayList<>();
    while (true) {
      try {
        round.add(toSync.take());
      } catch (InterruptedException e) {
        return;
      }
      toSync.drainTo(round);
      boolean stop = round.remove(FLUSHER_STOP);
      flush(round);
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

  private void flush(List<Written> round) {
    if (round.isEmpty()) {
      return;
    }
    if (failure == null) {
      Map<SegmentFile, ShardSegments.SyncPoint> segmentsToSync = new LinkedHashMap<>();
      Map<SegmentFile, ShardSegments.SyncPoint> reached = new LinkedHashMap<>();
      boolean syncJournal = false;
      int appends = 0;
      long payloadBytes = 0;
      for (Written group : round) {
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
          force(segmentsToSync.values(), syncJournal);
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
    List<Written> done = List.copyOf(round);
    acks.dispatch(
        () -> {
          for (Written group : done) {
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
        toSync.isEmpty());
  }

  /** Waits until every group written so far is synced (or failed). Writer thread only. */
  private void awaitSynced() throws InterruptedException {
    synchronized (syncedLock) {
      while (groupsSynced < groupsWritten) {
        syncedLock.wait();
      }
    }
  }

  private void truncate(Pending truncation) {
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
      if (journaledShards.contains(shard)) {
        checkpoint(); // or a replay would put back what this cuts
      }
      if (truncation.truncateAfter() == DELETE) {
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

  /** Syncs the segments up to the points, and the journal if asked, all at once. */
  private void force(Collection<ShardSegments.SyncPoint> points, boolean syncJournal)
      throws IOException {
    if (points.size() + (syncJournal ? 1 : 0) == 1) {
      if (syncJournal) {
        journal.force();
      } else {
        points.iterator().next().force();
      }
      return;
    }
    List<Future<?>> syncs = new ArrayList<>(points.size() + 1);
    for (ShardSegments.SyncPoint point : points) {
      syncs.add(
          syncers.submit(
              () -> {
                point.force();
                return null;
              }));
    }
    if (syncJournal) {
      syncs.add(
          syncers.submit(
              () -> {
                journal.force();
                return null;
              }));
    }
    IOException failed = null;
    for (Future<?> sync : syncs) {
      try {
        sync.get();
      } catch (ExecutionException e) {
        if (failed == null) {
          failed = new IOException("an fsync failed", e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed = new IOException("interrupted while waiting for an fsync", e);
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  private ShardSegments shard(long shardId) throws IOException {
    ShardSegments shard = shards.get(shardId);
    if (shard == null) {
      shard = ShardSegments.create(root, shardId, options, sealedFiles);
      shards.put(shardId, shard);
    }
    return shard;
  }

  private void fail(List<Pending> group, SegmentLogException error) {
    List<Pending> failed = List.copyOf(group);
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
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    left.remove(STOP);
    fail(left, closed);
    syncers.shutdown();
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
    if (journal == null || failure != null || journaledShards.isEmpty()) {
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
