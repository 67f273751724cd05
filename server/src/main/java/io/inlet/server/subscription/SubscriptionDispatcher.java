package io.inlet.server.subscription;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.RecordId;
import io.inlet.server.concurrent.SerialExecutor;
import io.inlet.server.concurrent.TailingReader;
import io.inlet.server.metrics.SubscriptionMetrics.SubscriptionMeters;
import io.inlet.store.ShardLog;
import io.inlet.store.SubscriptionInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one subscription to its connected consumers. The shards are shared out by {@link
 * ShardAssignment}; each shard's batches go, in LSN order, only to its owner. Acknowledgements, ack
 * timeouts, rebalancing and checkpointing all run on the subscription's lane (a {@link
 * SerialExecutor}), so the delivery state needs no locks and no thread is ever parked per shard or
 * per consumer.
 *
 * <p>What it holds for unacknowledged records is bookkeeping (position and ack bits, {@link
 * InFlightBatch}); redelivery reads the batches again. Its {@link DeliveryWindow} stops new
 * deliveries at the smaller of the subscription's {@code maxUnackedRecords} and the server's
 * ceiling, and when the node's budget is spent.
 *
 * <p>Membership ({@link #add}, {@link #remove}) is also visible outside the lane, for ListConsumers
 * and for DeleteSubscription's "active consumers" check; {@link SubscriptionRegistry} serializes
 * it.
 */
final class SubscriptionDispatcher {
  static final Logger log = LoggerFactory.getLogger(SubscriptionDispatcher.class);

  /** How often ack deadlines are checked and checkpoints written. */
  static final long TICK_MILLIS = 100;

  /** Responses sent per lane turn before yielding to other subscriptions. */
  private static final int BATCHES_PER_TURN = 64;

  /** Responses one shard sends before the next shard gets its turn. */
  private static final int BATCHES_PER_SHARD_TURN = 4;

  final SubscriptionInfo info;
  private final ShardLog shardLog;
  final SerialExecutor lane;
  private final DeliveryWindow window;
  private final long ackTimeoutNanos;
  private final Ticker ticker;
  final SubscriptionMeters meters;

  private final ShardDelivery[] cursors;
  private final ShardAssignment assignment;
  private final CheckpointCommitter checkpoints;
  private final Consumer<SubscriptionDispatcher> onFailure;
  private final Map<String, ConsumerSession> members = new ConcurrentHashMap<>();
  private final Map<String, ConsumerSession> joined = new HashMap<>();
  private final AtomicBoolean pumpScheduled = new AtomicBoolean();
  private final ScheduledFuture<?> tickTask;
  private final List<ShardDelivery> completedCursors = new ArrayList<>();

  private volatile boolean closed;
  private Throwable closeReason;
  private int nextShard;

  /**
   * @param start where each shard starts: its committed prefix, or the subscription's start
   * @param maxUnacked the server's ceiling on this subscription's unacknowledged records
   * @param node the node's budget of unacknowledged records, shared by every subscription
   * @param ticker the time ack deadlines and read retries are measured with
   * @param onFailure called on the lane when a store failure ended the subscription's delivery
   */
  SubscriptionDispatcher(
      SubscriptionInfo info,
      ShardLog log,
      StartPositions start,
      CheckpointCommitter checkpoints,
      SubscriptionMeters meters,
      int maxUnacked,
      NodeUnackedBudget node,
      Executor pool,
      ScheduledExecutorService timer,
      Ticker ticker,
      Consumer<SubscriptionDispatcher> onFailure) {
    this.info = info;
    this.shardLog = log;
    this.lane = new SerialExecutor(pool);
    this.window =
        new DeliveryWindow(Math.min(info.maxUnackedRecords(), maxUnacked), node, this::requestPump);
    this.ackTimeoutNanos = TimeUnit.SECONDS.toNanos(info.ackTimeoutSeconds());
    this.ticker = ticker;
    this.checkpoints = checkpoints;
    // Another node took the subscription over: end the consumers here (UNAVAILABLE), so that they
    // look it up again and follow it.
    checkpoints.onLost(moved -> lane.execute(() -> fail(moved)));
    this.meters = meters;
    this.onFailure = onFailure;
    List<Long> shardIds = new ArrayList<>(start.byShard().keySet());
    shardIds.sort(null);
    ShardDelivery.Shared shared =
        new ShardDelivery.Shared(info.id(), log, window, meters, ackTimeoutNanos, ticker);
    this.cursors = new ShardDelivery[shardIds.size()];
    for (int i = 0; i < cursors.length; i++) {
      long shardId = shardIds.get(i);
      long from = start.byShard().get(shardId);
      TailingReader tail = new TailingReader(log, lane, null, this::requestPump, this::fail);
      cursors[i] = new ShardDelivery(shared, shardId, from, tail, this::gone);
      if (start.needsCommit(info, shardId)) {
        checkpoints.advance(shardId, from);
      }
    }
    this.assignment = new ShardAssignment(shardIds);
    this.tickTask =
        timer.scheduleWithFixedDelay(
            () -> lane.execute(this::tick), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** This node's hold on the subscription. */
  OwnedSubscription owned() {
    return checkpoints.owned();
  }

  // ------------------------------------------------------------------ membership (any thread)

  /**
   * Registers a consumer; it starts receiving once the lane has rebalanced.
   *
   * @throws ConsumerAlreadyConnectedException when a consumer of that name is connected
   */
  void add(ConsumerSession consumer) {
    if (members.putIfAbsent(consumer.name, consumer) != null) {
      throw new ConsumerAlreadyConnectedException(consumer.name, info.id());
    }
    lane.execute(() -> joined(consumer));
  }

  /**
   * Unregisters a consumer; its shards go to the others and its unacknowledged records are
   * redelivered to their new owners. Idempotent.
   *
   * @param ending how the lane ends the consumer's response stream: {@link
   *     ConsumerSession#complete} when the client finished its requests, {@link
   *     ConsumerSession#markEnded} when it cancelled, or a failure
   */
  void remove(ConsumerSession consumer, Consumer<ConsumerSession> ending) {
    if (members.remove(consumer.name, consumer)) {
      lane.execute(() -> left(consumer, ending));
    }
  }

  boolean hasConsumers() {
    return !members.isEmpty();
  }

  Collection<ConsumerSession> consumers() {
    return List.copyOf(members.values());
  }

  /** Handles acknowledgements from any consumer of the subscription. */
  void acknowledge(List<RecordId> ids) {
    lane.execute(() -> acked(ids));
  }

  /** Asks the lane to deliver what it can; cheap to call often. */
  void requestPump() {
    if (pumpScheduled.compareAndSet(false, true)) {
      lane.execute(this::pump);
    }
  }

  /**
   * Ends every consumer's stream with {@code reason} and stops delivering.
   *
   * @param keepProgress write the acknowledged prefixes (false: the subscription is being deleted)
   * @return completes when the last checkpoint write is done
   */
  CompletableFuture<Void> close(Throwable reason, boolean keepProgress) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    lane.execute(
        () -> {
          if (!closed) {
            shutDown(reason);
          }
          CompletableFuture<Void> written =
              keepProgress ? checkpoints.flush() : checkpoints.discard();
          written.whenComplete((v, e) -> done.complete(null));
        });
    return done;
  }

  // ---------------------------------------------------------------------------- lane only

  private void joined(ConsumerSession consumer) {
    if (closed) {
      consumer.fail(closeReason);
      return;
    }
    joined.put(consumer.name, consumer);
    meters.consumers(joined.size());
    apply(assignment.join(consumer.name), false);
    log.info("consumer {} joined subscription {}", consumer, info.id());
    requestPump();
  }

  private void left(ConsumerSession consumer, Consumer<ConsumerSession> ending) {
    if (closed || joined.remove(consumer.name) == null) {
      return;
    }
    ending.accept(consumer);
    meters.consumers(joined.size());
    apply(assignment.leave(consumer.name), true);
    log.info("consumer {} left subscription {}", consumer, info.id());
    if (joined.isEmpty()) {
      checkpoints.flush();
    }
    requestPump();
  }

  private void apply(List<ShardAssignment.Move> moves, boolean ownerLeft) {
    for (ShardAssignment.Move move : moves) {
      ShardDelivery cursor = cursor(move.shardId());
      if (cursor.owner != null) {
        cursor.owner.shards.remove(cursor);
      }
      ConsumerSession to = move.to() == null ? null : joined.get(move.to());
      cursor.owner = to;
      if (to != null) {
        to.shards.add(cursor);
      }
      if (ownerLeft) {
        // The departed consumer will never acknowledge what it had: hand it to the new owner now.
        cursor.redeliverAll();
      }
      if (to == null) {
        cursor.dropReadAhead();
      }
    }
  }

  private void acked(List<RecordId> ids) {
    if (closed) {
      return;
    }
    int newlyAcked = 0;
    ShardDelivery cursor = null;
    InFlightBatch batch = null;
    for (int i = 0, n = ids.size(); i < n; i++) {
      RecordId id = ids.get(i);
      if (cursor == null || cursor.shardId != id.getShardId()) {
        cursor = cursor(id.getShardId());
        batch = null;
        if (cursor == null) {
          continue;
        }
      }
      long lsn = id.getBatchId();
      if (batch == null || batch.lsn != lsn) {
        batch = cursor.acks.find(lsn);
        if (batch == null) {
          continue;
        }
      }
      if (batch.ack(id.getBatchIndex())) {
        newlyAcked++;
        if (batch.isComplete() && !completedCursors.contains(cursor)) {
          completedCursors.add(cursor);
        }
      }
    }
    for (int i = 0; i < completedCursors.size(); i++) {
      release(completedCursors.get(i));
    }
    completedCursors.clear();
    if (newlyAcked > 0) {
      meters.acknowledged(newlyAcked);
      settled(newlyAcked);
    }
  }

  /**
   * A tracked batch is gone from the store (trimmed by retention before it was acknowledged):
   * nothing of it can be redelivered, so its records count as acknowledged.
   */
  private void gone(ShardDelivery cursor, InFlightBatch batch) {
    log.debug(
        "subscription {}: batch {} of shard {} is gone from the store; its unacknowledged records"
            + " cannot be delivered again",
        info.id(),
        batch.lsn,
        Long.toUnsignedString(cursor.shardId));
    int records = batch.ackAll();
    release(cursor);
    settled(records);
  }

  private void release(ShardDelivery cursor) {
    if (cursor.acks.releaseAcknowledged()) {
      checkpoints.advance(cursor.shardId, cursor.acks.ackedPrefix());
    }
  }

  /** Records left the window (acknowledged, or gone): delivery may resume. */
  private void settled(int records) {
    boolean reopened = window.acknowledged(records);
    updateGauges();
    if (reopened) {
      requestPump();
    }
  }

  private void updateGauges() {
    meters.unacked(window.outstanding());
    long bytes = 0;
    for (ShardDelivery cursor : cursors) {
      bytes += cursor.footprintBytes();
    }
    meters.memory(bytes);
  }

  private void tick() {
    if (closed) {
      return;
    }
    long now = ticker.nanoTime();
    int expired = 0;
    boolean retry = false;
    for (ShardDelivery cursor : cursors) {
      expired += cursor.expire(now);
      retry |= cursor.retryDue(now);
    }
    if (expired > 0) {
      log.debug("subscription {}: {} batches timed out, redelivering", info.id(), expired);
    }
    if (expired > 0 || retry) {
      requestPump();
    }
    checkpoints.commitIfIdle();
  }

  private void pump() {
    pumpScheduled.set(false);
    if (closed || joined.isEmpty() || cursors.length == 0) {
      return;
    }
    try {
      int budget = BATCHES_PER_TURN;
      boolean progress = true;
      while (budget > 0 && progress) {
        progress = false;
        for (int k = 0; k < cursors.length && budget > 0; k++) {
          ShardDelivery cursor = cursors[(nextShard + k) % cursors.length];
          int sent = cursor.deliver(Math.min(budget, BATCHES_PER_SHARD_TURN));
          if (sent > 0) {
            budget -= sent;
            progress = true;
          }
        }
        nextShard = (nextShard + 1) % cursors.length;
      }
      if (budget == 0) {
        requestPump();
      }
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      updateGauges();
    }
  }

  private void fail(Throwable failure) {
    if (closed) {
      return;
    }
    log.warn("subscription {} stops delivering: {}", info.id(), failure.toString());
    shutDown(failure);
    checkpoints.flush();
    onFailure.accept(this);
  }

  private void shutDown(Throwable reason) {
    closed = true;
    closeReason = reason;
    tickTask.cancel(false);
    for (ConsumerSession consumer : joined.values()) {
      consumer.fail(reason);
    }
    joined.clear();
    members.clear();
    window.releaseAll();
    for (ShardDelivery cursor : cursors) {
      cursor.dropReadAhead();
    }
    meters.consumers(0);
    meters.unacked(0);
    meters.memory(0);
  }

  private ShardDelivery cursor(long shardId) {
    for (ShardDelivery cursor : cursors) {
      if (cursor.shardId == shardId) {
        return cursor;
      }
    }
    return null;
  }

  static InletException deleted(String id) {
    return new InletException(
        ErrorCode.SubscriptionNotFound, "subscription \"" + id + "\" was deleted");
  }
}
