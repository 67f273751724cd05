package io.inlet.server.subscription;

import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.server.metrics.SubscriptionMetrics;
import io.inlet.store.StreamStore;
import io.inlet.store.SubscriptionInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatchers of the subscriptions that have (or had) consumers on this node, and the threads
 * they run on: a small pool for every subscription's lane and timer, and one thread for checkpoint
 * writes. A dispatcher is created when the first consumer of a subscription connects and lives
 * until the subscription is deleted, fails, or the server closes.
 *
 * <p>Before it delivers a subscription, this node takes it ({@link SubscriptionOwnership#take}); a
 * consumer that connects to a node that does not own it is refused with {@link
 * SubscriptionMovedException} (UNAVAILABLE: clients look it up again). Every {@value
 * #WATCH_SECONDS} s, and whenever a consumer joins, the node checks that it still holds each
 * subscription it delivers, and ends the consumers of one it lost (another node took it over, or it
 * was deleted through another node).
 *
 * <p>The registry lock makes "join" atomic with "delete": a consumer cannot slip in between the
 * active-consumer check of a non-forced delete and the removal. No I/O happens under the lock.
 */
final class SubscriptionRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionRegistry.class);
  private static final long CLOSE_TIMEOUT_SECONDS = 10;
  static final long WATCH_SECONDS = 2;

  private final StreamStore store;
  private final SubscriptionOwnership ownership;
  private final ScheduledThreadPoolExecutor dispatchPool;
  private final ExecutorService checkpointPool;
  // Ownership checks may wait for the metadata: never on the dispatch threads.
  private final ScheduledExecutorService ownershipWatch;
  private final SubscriptionMetrics metrics;
  private final UnackedLimits limits;
  private final NodeUnackedBudget budget;
  private final Ticker ticker;

  private final Map<String, SubscriptionDispatcher> dispatchers = new HashMap<>();
  private final Set<String> deleting = new HashSet<>();
  private boolean closed;

  SubscriptionRegistry(
      StreamStore store,
      SubscriptionOwnership ownership,
      int dispatchThreads,
      SubscriptionMetrics metrics,
      UnackedLimits limits,
      Ticker ticker) {
    this.store = store;
    this.ownership = ownership;
    this.ticker = ticker;
    this.metrics = metrics;
    this.limits = limits;
    this.budget = new NodeUnackedBudget(limits.perNode());
    this.dispatchPool =
        new ScheduledThreadPoolExecutor(dispatchThreads, named("inlet-subscription-dispatch"));
    this.dispatchPool.setRemoveOnCancelPolicy(true);
    this.checkpointPool = Executors.newSingleThreadExecutor(named("inlet-subscription-checkpoint"));
    this.ownershipWatch =
        Executors.newSingleThreadScheduledExecutor(named("inlet-subscription-ownership"));
    this.ownershipWatch.scheduleWithFixedDelay(
        this::dropLost, WATCH_SECONDS, WATCH_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Connects a consumer to a subscription (RocksDB reads: call off the event loop).
   *
   * @return the dispatcher now serving the consumer (which ends the consumer's stream itself if the
   *     subscription turns out to be deleted meanwhile)
   * @throws InletException SubscriptionNotFound
   * @throws ConsumerAlreadyConnectedException for a consumer name already connected
   * @throws StoreUnavailableException when the server is closing
   */
  SubscriptionDispatcher join(String subscriptionId, ConsumerSession consumer) {
    while (true) {
      SubscriptionInfo info = subscription(subscriptionId);
      SubscriptionDispatcher current;
      synchronized (this) {
        checkOpen();
        current = dispatchers.get(subscriptionId);
      }
      if (current != null && !current.owned().held()) {
        stopLost(current);
        current = null;
      }
      OwnedSubscription owned = current == null ? ownership.take(subscriptionId) : null;
      StartPositions start =
          owned == null ? null : StartPositions.load(store, info, owned.checkpoints());
      SubscriptionDispatcher dispatcher;
      synchronized (this) {
        checkOpen();
        if (deleting.contains(subscriptionId)) {
          throw SubscriptionDispatcher.deleted(subscriptionId);
        }
        dispatcher = dispatchers.get(subscriptionId);
        if (dispatcher == null) {
          if (start == null) {
            continue; // it stopped since we looked: take it and load positions again
          }
          dispatcher = newDispatcher(info, owned, start);
          dispatchers.put(subscriptionId, dispatcher);
        }
        dispatcher.add(consumer);
      }
      // A delete that completed between our first read and taking the lock has not seen us. The
      // lane may already be sending to the consumer, so the lane ends its stream.
      if (store.subscriptions().get(subscriptionId).isEmpty()) {
        InletException gone = SubscriptionDispatcher.deleted(subscriptionId);
        dispatcher.remove(consumer, c -> c.fail(gone));
      }
      return dispatcher;
    }
  }

  /** Ends the consumers of each subscription this node no longer holds. */
  private void dropLost() {
    List<SubscriptionDispatcher> running;
    synchronized (this) {
      if (closed) {
        return;
      }
      running = new ArrayList<>(dispatchers.values());
    }
    for (SubscriptionDispatcher dispatcher : running) {
      try {
        if (!dispatcher.owned().held()) {
          stopLost(dispatcher);
        }
      } catch (RuntimeException e) {
        // Cannot tell now (the metadata may be unavailable): keep delivering, look again later.
        log.debug("subscription {}: ownership not checked: {}", dispatcher.info.id(), e.toString());
      }
    }
  }

  private void stopLost(SubscriptionDispatcher dispatcher) {
    forget(dispatcher);
    dispatcher.close(
        new SubscriptionMovedException(
            "subscription \""
                + dispatcher.info.id()
                + "\" is no longer served by this node (another node took it over, or it was"
                + " deleted); look it up again"),
        false);
  }

  /** The consumers connected to the subscription (none when it has no dispatcher). */
  synchronized Collection<ConsumerSession> consumers(String subscriptionId) {
    SubscriptionDispatcher dispatcher = dispatchers.get(subscriptionId);
    return dispatcher == null ? List.of() : dispatcher.consumers();
  }

  /**
   * Deletes a subscription and its progress.
   *
   * @param force end the streams of connected consumers; without it, connected consumers make the
   *     delete fail with SubscriptionFoundActiveConsumers
   */
  void delete(String subscriptionId, boolean force) {
    subscription(subscriptionId);
    SubscriptionDispatcher dispatcher;
    synchronized (this) {
      checkOpen();
      if (deleting.contains(subscriptionId)) {
        throw SubscriptionDispatcher.deleted(subscriptionId);
      }
      dispatcher = dispatchers.get(subscriptionId);
      if (dispatcher != null && dispatcher.hasConsumers() && !force) {
        throw new InletException(
            ErrorCode.SubscriptionFoundActiveConsumers,
            "subscription \""
                + subscriptionId
                + "\" still has active consumers; delete it with force to end them");
      }
      dispatchers.remove(subscriptionId);
      deleting.add(subscriptionId);
    }
    try {
      if (dispatcher != null) {
        // Wait for in-flight checkpoint writes so none lands after the deletion.
        await(dispatcher.close(SubscriptionDispatcher.deleted(subscriptionId), false));
      }
      if (!store.subscriptions().delete(subscriptionId)) {
        throw InletException.subscriptionNotFound(subscriptionId);
      }
      metrics.deleted(subscriptionId);
    } finally {
      synchronized (this) {
        deleting.remove(subscriptionId);
      }
    }
  }

  /**
   * Ends every consumer's stream with UNAVAILABLE (clients reconnect), writes the checkpoints and
   * stops the threads; idempotent.
   */
  @Override
  public void close() {
    List<SubscriptionDispatcher> running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      running = new ArrayList<>(dispatchers.values());
      dispatchers.clear();
    }
    StoreUnavailableException reason =
        new StoreUnavailableException("the server is shutting down; reconnect to resume");
    List<CompletableFuture<Void>> flushed = new ArrayList<>();
    for (SubscriptionDispatcher dispatcher : running) {
      flushed.add(dispatcher.close(reason, true));
    }
    await(CompletableFuture.allOf(flushed.toArray(CompletableFuture[]::new)));
    ownershipWatch.shutdownNow();
    dispatchPool.shutdown();
    checkpointPool.shutdown();
    try {
      dispatchPool.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      checkpointPool.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private SubscriptionDispatcher newDispatcher(
      SubscriptionInfo info, OwnedSubscription owned, StartPositions start) {
    CheckpointCommitter checkpoints =
        new CheckpointCommitter(info.id(), owned, checkpointPool, start.committed());
    return new SubscriptionDispatcher(
        info,
        store.log(),
        start,
        checkpoints,
        metrics.of(info.id()),
        limits.perSubscription(),
        budget,
        dispatchPool,
        dispatchPool,
        ticker,
        this::forget);
  }

  private synchronized void forget(SubscriptionDispatcher dispatcher) {
    dispatchers.remove(dispatcher.info.id(), dispatcher);
  }

  private SubscriptionInfo subscription(String subscriptionId) {
    return store
        .subscriptions()
        .get(subscriptionId)
        .orElseThrow(() -> InletException.subscriptionNotFound(subscriptionId));
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreUnavailableException("the server is shutting down");
    }
  }

  private static void await(CompletableFuture<?> future) {
    try {
      future.get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("subscription did not close cleanly: {}", e.toString());
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
