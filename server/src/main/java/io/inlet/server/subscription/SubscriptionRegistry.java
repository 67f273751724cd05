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
 * <p>The registry lock makes "join" atomic with "delete": a consumer cannot slip in between the
 * active-consumer check of a non-forced delete and the removal. No I/O happens under the lock.
 */
final class SubscriptionRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionRegistry.class);
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  private final StreamStore store;
  private final ScheduledThreadPoolExecutor dispatchPool;
  private final ExecutorService checkpointPool;
  private final SubscriptionMetrics metrics;
  private final UnackedLimits limits;
  private final NodeUnackedBudget budget;
  private final Ticker ticker;

  private final Map<String, SubscriptionDispatcher> dispatchers = new HashMap<>();
  private final Set<String> deleting = new HashSet<>();
  private boolean closed;

  SubscriptionRegistry(
      StreamStore store,
      int dispatchThreads,
      SubscriptionMetrics metrics,
      UnackedLimits limits,
      Ticker ticker) {
    this.store = store;
    this.ticker = ticker;
    this.metrics = metrics;
    this.limits = limits;
    this.budget = new NodeUnackedBudget(limits.perNode());
    this.dispatchPool =
        new ScheduledThreadPoolExecutor(dispatchThreads, named("inlet-subscription-dispatch"));
    this.dispatchPool.setRemoveOnCancelPolicy(true);
    this.checkpointPool = Executors.newSingleThreadExecutor(named("inlet-subscription-checkpoint"));
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
      boolean running;
      synchronized (this) {
        checkOpen();
        running = dispatchers.containsKey(subscriptionId);
      }
      StartPositions start = running ? null : StartPositions.load(store, info);
      SubscriptionDispatcher dispatcher;
      synchronized (this) {
        checkOpen();
        if (deleting.contains(subscriptionId)) {
          throw SubscriptionDispatcher.deleted(subscriptionId);
        }
        dispatcher = dispatchers.get(subscriptionId);
        if (dispatcher == null) {
          if (start == null) {
            continue; // it stopped since we looked: load positions again
          }
          dispatcher = newDispatcher(info, start);
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
    dispatchPool.shutdown();
    checkpointPool.shutdown();
    try {
      dispatchPool.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      checkpointPool.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private SubscriptionDispatcher newDispatcher(SubscriptionInfo info, StartPositions start) {
    CheckpointCommitter checkpoints =
        new CheckpointCommitter(
            info.id(), store.subscriptions(), checkpointPool, start.committed());
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
