package io.inlet.cluster.replication;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * A leader's count of which replica holds what durably: the committed LSN is the highest one a
 * majority of the replicas (the leader's own copy included) has fsync'd. Appends waiting for it
 * complete in LSN order on one serial executor, outside any lock, each after the committed LSN
 * covering it was handed to {@code onCommit}.
 */
final class CommitTracker {
  private final long[] durable;
  private final int majority;
  private final Executor completions;
  private final LongConsumer onCommit;
  private final ConcurrentSkipListMap<Long, CompletableFuture<Long>> waiting =
      new ConcurrentSkipListMap<>();
  private long committed;
  private Throwable failure;

  /**
   * @param replicas how many replicas the shard has (index 0 is the leader's own copy)
   * @param committed what is known committed already
   * @param onCommit told each new committed LSN, in order, on the completions executor before the
   *     appends it commits complete (under no lock of ours)
   */
  CommitTracker(int replicas, long committed, Executor completions, LongConsumer onCommit) {
    this.durable = new long[replicas];
    this.majority = replicas / 2 + 1;
    this.completions = completions;
    this.onCommit = onCommit;
    this.committed = committed;
    durable[0] = committed;
  }

  /** A future that completes with {@code lsn} once it is committed (or fails with the leader). */
  synchronized CompletableFuture<Long> await(long lsn) {
    if (failure != null) {
      return CompletableFuture.failedFuture(failure);
    }
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (lsn <= committed) {
      done.complete(lsn);
    } else {
      waiting.put(lsn, done);
    }
    return done;
  }

  /** Notes that {@code replica} holds every entry up to {@code lsn} fsync'd. */
  void durable(int replica, long lsn) {
    long newCommitted;
    synchronized (this) {
      if (lsn <= durable[replica] || failure != null) {
        return;
      }
      durable[replica] = lsn;
      long[] sorted = durable.clone();
      Arrays.sort(sorted);
      newCommitted = sorted[sorted.length - majority];
      if (newCommitted <= committed) {
        return;
      }
      committed = newCommitted;
      Map<Long, CompletableFuture<Long>> ready = waiting.headMap(newCommitted, true);
      List<Map.Entry<Long, CompletableFuture<Long>>> batch = new ArrayList<>(ready.entrySet());
      ready.clear();
      long nowCommitted = newCommitted;
      // The leader's own copy learns the committed LSN before any append it covers completes, so
      // a read on the leader right after an acknowledgement sees the entry (when durable there).
      completions.execute(
          () -> {
            onCommit.accept(nowCommitted);
            batch.forEach(e -> e.getValue().complete(e.getKey()));
          });
    }
  }

  /**
   * The highest LSN a majority of the replicas has reported durable themselves (the leader's own
   * copy starts at the committed LSN it was given): unlike {@link #committed()}, no entry is taken
   * as held by a majority on trust.
   */
  synchronized long majorityDurable() {
    long[] sorted = durable.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length - majority];
  }

  synchronized long committed() {
    return committed;
  }

  synchronized long durableLsn(int replica) {
    return durable[replica];
  }

  /** Fails every waiting append and every later one. */
  void fail(Throwable error) {
    synchronized (this) {
      if (failure != null) {
        return;
      }
      failure = error;
      List<CompletableFuture<Long>> batch = new ArrayList<>(waiting.values());
      waiting.clear();
      completions.execute(() -> batch.forEach(f -> f.completeExceptionally(error)));
    }
  }
}
