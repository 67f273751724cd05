package io.inlet.server.subscription;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists one subscription's acknowledged prefixes, coalesced: the lane records every advance with
 * {@link #advance}, and {@link #commitIfIdle} (called on the lane's periodic tick) writes the
 * latest value per shard once the previous write finished. Writes run on the checkpoint executor,
 * one after another, so the lane never waits for the disk and a shard's committed LSN never goes
 * back. Each write commits every pending shard at once (one write per round, whatever the number of
 * acks). Methods other than the constructor are called on the lane only.
 *
 * <p>Writes go through this node's hold on the subscription ({@link OwnedSubscription}): once a
 * write finds it lost (another node took the subscription over), nothing more is written and the
 * handler given to {@link #onLost} is told, on the checkpoint thread.
 */
final class CheckpointCommitter {
  private static final Logger log = LoggerFactory.getLogger(CheckpointCommitter.class);

  private final String subscriptionId;
  private final OwnedSubscription owned;
  private final Executor io;
  private volatile Consumer<SubscriptionMovedException> lost = e -> {};
  private volatile boolean fenced;

  /** Prefixes not handed to a write yet. */
  private Map<Long, Long> pending = new HashMap<>();

  /** The latest value handed to a write, per shard: nothing older is ever written after it. */
  private final Map<Long, Long> written = new HashMap<>();

  /** Completes when every write handed out so far is done (failed writes are logged). */
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

  private boolean discarded;

  CheckpointCommitter(
      String subscriptionId, OwnedSubscription owned, Executor io, Map<Long, Long> committed) {
    this.subscriptionId = subscriptionId;
    this.owned = owned;
    this.io = io;
    written.putAll(committed);
  }

  /** Told once when a write finds that this node no longer holds the subscription. */
  void onLost(Consumer<SubscriptionMovedException> handler) {
    this.lost = handler;
  }

  /** The hold the checkpoints are written through. */
  OwnedSubscription owned() {
    return owned;
  }

  /** Notes that every batch of the shard below {@code nextLsn} is acknowledged. */
  void advance(long shardId, long nextLsn) {
    Long last = written.get(shardId);
    if (!discarded && (last == null || nextLsn > last)) {
      pending.put(shardId, nextLsn);
    }
  }

  /** Starts a write of the pending prefixes unless one is still running. */
  void commitIfIdle() {
    if (tail.isDone()) {
      writePending();
    }
  }

  /** Writes the pending prefixes now; completes when they and all earlier writes are done. */
  CompletableFuture<Void> flush() {
    writePending();
    return tail;
  }

  /**
   * Drops pending prefixes and refuses later ones (the subscription is being deleted); completes
   * when the writes already started are done, so none lands after the deletion.
   */
  CompletableFuture<Void> discard() {
    discarded = true;
    pending.clear();
    return tail;
  }

  private void writePending() {
    if (pending.isEmpty()) {
      return;
    }
    Map<Long, Long> batch = pending;
    pending = new HashMap<>();
    written.putAll(batch);
    tail = tail.thenRunAsync(() -> write(batch), io);
  }

  private void write(Map<Long, Long> prefixes) {
    if (fenced) {
      return;
    }
    try {
      owned.commit(prefixes);
    } catch (SubscriptionMovedException moved) {
      fenced = true;
      log.info("subscription {}: {}", subscriptionId, moved.getMessage());
      lost.accept(moved);
    } catch (RuntimeException failure) {
      // Losing a checkpoint only means redelivery after a restart; the next advance retries.
      log.warn(
          "cannot commit checkpoints {} for subscription {}: {}",
          prefixes,
          subscriptionId,
          failure.toString());
    }
  }
}
