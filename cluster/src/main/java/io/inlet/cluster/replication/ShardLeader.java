package io.inlet.cluster.replication;

import io.inlet.store.segment.LoggedEntry;
import io.inlet.store.segment.SegmentEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader of one shard for one epoch, on the node that holds its own copy: it appends to that
 * copy, streams its log to every follower ({@link FollowerLink}) and completes an append once a
 * majority of the replicas, itself included, has the entry fsync'd, in LSN order. Opened by {@link
 * ReplicationNode#lead} after {@link LeaderRecovery}. When a follower reports a higher epoch the
 * leader was replaced: it stops and fails what is waiting with {@link LeaderFencedException}.
 */
public final class ShardLeader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardLeader.class);

  private final long shardId;
  private final long epoch;
  private final long epochFirstLsn;
  private final ReplicaShard local;
  private final CommitTracker tracker;
  private final List<FollowerLink> links = new ArrayList<>();
  private final ScheduledExecutorService scheduler;

  /** Entries not yet both committed and durable here: what followers are sent from memory. */
  private final ConcurrentSkipListMap<Long, SegmentEntry> unsettled = new ConcurrentSkipListMap<>();

  private final CompletableFuture<Void> recovered;
  private volatile boolean stopped;
  private volatile ReplicationException stoppedBy;

  ShardLeader(
      ReplicaShard local,
      long epoch,
      LeaderRecovery.Recovered recovery,
      List<Replica> followers,
      ReplicationNode node) {
    this.shardId = local.shardId();
    this.epoch = epoch;
    this.local = local;
    this.scheduler = node.scheduler();
    this.epochFirstLsn = recovery.keepLsn() + 1;
    Executor completions = node.completions();
    this.tracker =
        new CommitTracker(followers.size() + 1, recovery.keepLsn(), completions, this::onCommit);
    CompletableFuture<Long> last = CompletableFuture.completedFuture(recovery.keepLsn());
    for (ReplicaShard.LocalAppend appended :
        local.takeOver(epoch, recovery.keepLsn(), recovery.entries())) {
      last = track(appended);
    }
    this.recovered = last.thenApply(lsn -> null);
    // What the recovery knows committed (possibly learnt from another replica) is committed here
    // too: without this, a copy that learnt less would hide entries up to it from its readers
    // until the next commit, which a quiet shard never makes.
    local.committed(recovery.keepLsn());
    for (int i = 0; i < followers.size(); i++) {
      links.add(
          new FollowerLink(
              this,
              followers.get(i),
              i + 1,
              node.stub(followers.get(i)),
              node.reconnector(followers.get(i)),
              scheduler));
    }
    links.forEach(FollowerLink::start);
  }

  /**
   * Appends an entry to the shard. Completes with its LSN once a majority of the replicas has it
   * fsync'd; fails with {@link LeaderFencedException} when this leader was replaced or {@link
   * ReplicationException} when it was closed or its own log failed (the entry was then not
   * acknowledged: it may or may not be in the log a later leader recovers). While too few replicas
   * answer, the future waits.
   */
  public CompletableFuture<Long> append(SegmentEntry entry) {
    CompletableFuture<Long> done;
    try {
      done = appendEntry(entry);
    } catch (ReplicationException e) {
      return CompletableFuture.failedFuture(e);
    }
    links.forEach(FollowerLink::drain);
    return done;
  }

  private synchronized CompletableFuture<Long> appendEntry(SegmentEntry entry) {
    if (stopped) {
      if (stoppedBy instanceof LeaderFencedException fenced) {
        throw new LeaderFencedException(shardId, epoch, fenced.sealedEpoch());
      }
      throw new ReplicationException(
          "shard "
              + Long.toUnsignedString(shardId)
              + ": the leader of epoch "
              + epoch
              + " stopped");
    }
    return track(local.appendAsLeader(entry.withEpoch(epoch)));
  }

  /** Keeps an entry of this leader's in memory for the followers until settled, and awaits it. */
  private CompletableFuture<Long> track(ReplicaShard.LocalAppend appended) {
    long lsn = appended.lsn();
    unsettled.put(lsn, appended.entry());
    CompletableFuture<Long> done = tracker.await(lsn);
    appended
        .durable()
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                stop(new ReplicationException("the leader's own log failed", error));
              } else {
                tracker.durable(0, lsn);
                settle();
              }
            });
    return done;
  }

  /** Completes once the entries recovered from the previous epochs are committed again. */
  public CompletableFuture<Void> recovered() {
    return recovered;
  }

  public long shardId() {
    return shardId;
  }

  /**
   * True once this leader stopped (replaced, closed, or its own log failed): it appends no more.
   */
  public boolean isStopped() {
    return stopped;
  }

  public long epoch() {
    return epoch;
  }

  /** The highest LSN a majority holds fsync'd: every entry up to it is acknowledged. */
  public long committedLsn() {
    return tracker.committed();
  }

  /**
   * True once every entry this leader started from is durable on a majority of its replicas (as
   * they reported it) and the recovered entries are committed again: from then on the shard's
   * entries no longer depend on any replica outside the set this leader streams to, so a change of
   * the replica set may be finished.
   */
  public boolean settledOnReplicas() {
    return recovered.isDone()
        && !recovered.isCompletedExceptionally()
        && tracker.majorityDurable() >= epochFirstLsn - 1;
  }

  /** The first LSN this leader's own copy still holds (above 1 once trimmed). */
  long firstLsn() {
    return local.firstLsn();
  }

  /** The last LSN in this leader's own log (committed or not). */
  public long tailLsn() {
    return local.tailLsn();
  }

  /**
   * What each follower holds fsync'd as this leader last heard, in the order the leader was given
   * them: how far behind the leader's log each is.
   */
  public List<FollowerProgress> followerProgress() {
    List<FollowerProgress> progress = new ArrayList<>(links.size());
    for (int i = 0; i < links.size(); i++) {
      progress.add(new FollowerProgress(links.get(i).follower(), tracker.durableLsn(i + 1)));
    }
    return progress;
  }

  /** A follower and the highest LSN it holds fsync'd, as its leader last heard. */
  public record FollowerProgress(Replica follower, long durableLsn) {}

  long epochAt(long lsn) {
    return local.epochAt(lsn);
  }

  EpochTable epochs() {
    return local.epochs();
  }

  long epochFirstLsn() {
    return epochFirstLsn;
  }

  /** Up to {@code max} entries from {@code from}: from memory while unsettled, else the log. */
  List<SegmentEntry> entriesFrom(long from, int max, long maxBytes) {
    List<SegmentEntry> out = new ArrayList<>();
    long lsn = from;
    long bytes = 0;
    long tail = local.tailLsn();
    while (out.size() < max && bytes < maxBytes && lsn <= tail) {
      SegmentEntry entry = unsettled.get(lsn);
      if (entry != null) {
        out.add(entry);
        bytes += entry.payload().length;
        lsn++;
        continue;
      }
      List<LoggedEntry> read = local.read(lsn, tail, Math.min(max - out.size(), 256));
      if (read.isEmpty() || read.get(0).lsn() != lsn) {
        break;
      }
      for (LoggedEntry e : read) {
        if (e.lsn() != lsn || bytes >= maxBytes) {
          break;
        }
        out.add(e.entry());
        bytes += e.entry().payload().length;
        lsn++;
      }
    }
    return out;
  }

  void followerDurable(int index, long lsn) {
    tracker.durable(index, lsn);
    settle();
  }

  private void onCommit(long committed) {
    local.committed(committed);
    // Followers learn the committed LSN from the leader's messages; send it now, not only with the
    // next append, so that their readers see the last entries too.
    // (On the scheduler, off the completions thread that runs this.)
    try {
      scheduler.execute(() -> links.forEach(FollowerLink::commitMoved));
    } catch (RejectedExecutionException closing) {
      // the node is closing: no follower is told any more
    }
  }

  /** Drops from memory what is committed and durable here (followers read it from the log). */
  private void settle() {
    long settled = Math.min(tracker.committed(), tracker.durableLsn(0));
    unsettled.headMap(settled, true).clear();
  }

  /** A follower is sealed at {@code sealedEpoch} (> ours): another leader took over. */
  void fenced(long sealedEpoch) {
    scheduler.execute(() -> stop(new LeaderFencedException(shardId, epoch, sealedEpoch)));
  }

  private void stop(ReplicationException why) {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
      stoppedBy = why;
    }
    LOG.info("Shard {}: leader of epoch {} stops: {}", shardId, epoch, why.getMessage());
    links.forEach(FollowerLink::close);
    tracker.fail(why);
  }

  /** Stops streaming and fails the appends still waiting for a majority. Idempotent. */
  @Override
  public void close() {
    stop(
        new ReplicationException(
            "shard "
                + Long.toUnsignedString(shardId)
                + ": the leader of epoch "
                + epoch
                + " was closed"));
  }
}
