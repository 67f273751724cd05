package io.inlet.server.subscription;

import io.inlet.api.record.PublishTimes;
import io.inlet.store.StoredBatch;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One shard of a subscription: where reading continues, the batches read ahead but not sent, the
 * batches in flight ({@link AckTracker}) and the consumer that owns the shard. Delivery sends
 * pending redeliveries first, then new batches while the owner's transport is ready and the
 * subscription's {@link DeliveryWindow} has room. When the shard has nothing new it registers one
 * wake-up with {@code ShardLog.awaitBeyond} instead of polling or blocking a thread. Lane only.
 */
final class ShardCursor {
  /** Batches read from the store at once; bounds what sits read but unsent per shard. */
  private static final int READ_AHEAD = 8;

  final long shardId;
  final AckTracker acks;
  private final SubscriptionDispatcher dispatcher;
  private final ArrayDeque<StoredBatch> readAhead = new ArrayDeque<>(READ_AHEAD);

  /** The LSN to read from next: after everything tracked or read ahead. */
  private long readLsn;

  /** A wake-up for new batches is registered with the store. */
  private boolean awaiting;

  /** How many tracked batches may have {@code resendPending} set; an upper bound. */
  private int resendPending;

  /** The consumer owning the shard, or null while no consumer is connected. */
  ConsumerSession owner;

  ShardCursor(SubscriptionDispatcher dispatcher, long shardId, long startLsn) {
    this.dispatcher = dispatcher;
    this.shardId = shardId;
    this.acks = new AckTracker(startLsn);
    this.readLsn = startLsn;
  }

  /**
   * Sends what the owner may receive now, at most {@code maxBatches} responses.
   *
   * @return the number of responses sent
   */
  int deliver(int maxBatches) {
    ConsumerSession to = owner;
    if (to == null) {
      return 0;
    }
    int sent = 0;
    long now = System.nanoTime();
    while (resendPending > 0 && sent < maxBatches && to.isReady()) {
      InFlightBatch b = acks.firstResendPending();
      if (b == null) {
        resendPending = 0;
        break;
      }
      b.resendPending = false;
      resendPending--;
      if (b.isComplete()) {
        continue;
      }
      b.deadlineNanos = now + dispatcher.ackTimeoutNanos;
      if (!to.send(FetchResponses.unacknowledged(b))) {
        markForResend(b);
        return sent;
      }
      dispatcher.meters.resent(b.unackedCount());
      sent++;
    }
    DeliveryWindow window = dispatcher.window;
    while (sent < maxBatches && to.isReady() && window.hasRoom()) {
      StoredBatch next = readAhead.poll();
      if (next == null) {
        if (awaiting || !readMore()) {
          break;
        }
        continue;
      }
      InFlightBatch b =
          acks.track(shardId, next.lsn(), PublishTimes.stamped(next.batch(), next.appendTimeMs()));
      if (b.size == 0) {
        continue;
      }
      b.deadlineNanos = now + dispatcher.ackTimeoutNanos;
      window.delivered(b.size);
      if (!to.send(FetchResponses.whole(b))) {
        markForResend(b);
        return sent;
      }
      dispatcher.meters.sent(b.size, b.batch.getPayload().size());
      sent++;
    }
    return sent;
  }

  /** Marks batches whose ack deadline passed for redelivery; returns how many were marked. */
  int expire(long nowNanos) {
    int[] marked = {0};
    acks.forEach(
        b -> {
          if (!b.resendPending && !b.isComplete() && b.deadlineNanos - nowNanos <= 0) {
            markForResend(b);
            marked[0]++;
          }
        });
    return marked[0];
  }

  /** Marks every unacknowledged batch for redelivery (its consumer left). */
  void redeliverAll() {
    acks.forEach(
        b -> {
          if (!b.resendPending && !b.isComplete()) {
            markForResend(b);
          }
        });
  }

  boolean hasResendPending() {
    return resendPending > 0;
  }

  private void markForResend(InFlightBatch b) {
    b.resendPending = true;
    resendPending++;
  }

  /** Reads the next batches; false when there are none yet (a wake-up is then registered). */
  private boolean readMore() {
    List<StoredBatch> batches = dispatcher.shardLog.read(shardId, readLsn, READ_AHEAD);
    if (batches.isEmpty()) {
      awaiting = true;
      dispatcher
          .shardLog
          .awaitBeyond(shardId, readLsn - 1)
          .whenComplete((ignored, failure) -> dispatcher.appended(this, failure));
      return false;
    }
    readAhead.addAll(batches);
    readLsn = batches.get(batches.size() - 1).lsn() + 1;
    return true;
  }

  /** The wake-up fired; lane only. */
  void wokeUp() {
    awaiting = false;
  }
}
