package io.inlet.server.subscription;

import io.inlet.api.error.InletException;
import io.inlet.server.concurrent.TailingReader;
import io.inlet.server.entry.BatchEntries;
import io.inlet.server.metrics.SubscriptionMetrics.SubscriptionMeters;
import io.inlet.store.ShardLog;
import io.inlet.store.StoreException;
import io.inlet.store.StoredEntry;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard of a subscription: where reading continues, the batches read ahead but not sent, the
 * batches in flight ({@link AckTracker}: positions and ack bits only, no payloads) and the consumer
 * that owns the shard. Delivery sends pending redeliveries first (each batch read again from the
 * store), then new batches while the owner's transport is ready and the subscription's {@link
 * DeliveryWindow} has room. When the shard has nothing new its {@link TailingReader} registers one
 * wake-up instead of polling or blocking a thread.
 *
 * <p>A shard whose reads fail (a damaged file, an I/O error) holds back only itself: it is tried
 * again after {@link #RETRY_NANOS} while the subscription's other shards go on. Lane only.
 */
final class ShardDelivery {
  /** Batches read from the store at once. */
  private static final int READ_AHEAD = 8;

  /** Payload bytes kept read ahead beyond the first batch; the rest is read again later. */
  private static final long READ_AHEAD_BYTES = 256 << 10;

  /** How long a shard whose read failed waits before it is tried again. */
  static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final Logger log = LoggerFactory.getLogger(ShardDelivery.class);

  /** What a shard's delivery shares with the rest of its subscription. */
  record Shared(
      String subscriptionId,
      ShardLog shardLog,
      DeliveryWindow window,
      SubscriptionMeters meters,
      long ackTimeoutNanos,
      Ticker ticker) {}

  final long shardId;
  final AckTracker acks;
  private final Shared shared;
  private final TailingReader tail;
  private final BiConsumer<ShardDelivery, InFlightBatch> onGone;
  private final ArrayDeque<StoredEntry> readAhead = new ArrayDeque<>(READ_AHEAD);
  private long readAheadBytes;

  /** Responses sent in the current {@link #deliver} call. */
  private int sent;

  /** The LSN to read from next: after everything tracked or read ahead. */
  private long readLsn;

  /** How many tracked batches may have {@code resendPending} set; an upper bound. */
  private int resendPending;

  /**
   * The last read failure while it lasts, and when to try again (on the subscription's {@link
   * Ticker}).
   */
  private String failure;

  private long retryAtNanos;

  /** The consumer owning the shard, or null while no consumer is connected. */
  ConsumerSession owner;

  /**
   * @param tail wakes the subscription's lane when the shard has new batches
   * @param onGone a tracked batch is gone from the store: its records count as acknowledged
   */
  ShardDelivery(
      Shared shared,
      long shardId,
      long startLsn,
      TailingReader tail,
      BiConsumer<ShardDelivery, InFlightBatch> onGone) {
    this.shared = shared;
    this.tail = tail;
    this.onGone = onGone;
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
    if (to == null || (failure != null && shared.ticker().nanoTime() - retryAtNanos < 0)) {
      return 0;
    }
    sent = 0;
    try {
      if (resend(to, maxBatches)) {
        sendNew(to, maxBatches);
      }
    } catch (InletException | StoreException e) {
      throw e; // the stream or shard is gone: the subscription ends
    } catch (RuntimeException e) {
      readFailed(e);
      return sent;
    }
    if (failure != null) {
      log.info(
          "subscription {}: shard {} reads again",
          shared.subscriptionId(),
          Long.toUnsignedString(shardId));
      failure = null;
    }
    return sent;
  }

  /**
   * Sends pending redeliveries, each batch read from the store again.
   *
   * @return false when the owner's stream is gone
   */
  private boolean resend(ConsumerSession to, int maxBatches) {
    long now = shared.ticker().nanoTime();
    while (resendPending > 0 && sent < maxBatches && to.isReady()) {
      InFlightBatch b = acks.firstResendPending();
      if (b == null) {
        resendPending = 0;
        break;
      }
      if (!b.isComplete()) {
        StoredEntry stored = readAgain(b);
        if (stored == null) {
          onGone.accept(this, b);
        } else {
          b.deadlineNanos = now + shared.ackTimeoutNanos();
          if (!to.send(FetchResponses.unacknowledged(b, BatchEntries.batch(stored)))) {
            return false; // still marked: it goes to whoever owns the shard next
          }
          shared.meters().resent(b.unackedCount());
          sent++;
        }
      }
      b.resendPending = false;
      resendPending--;
    }
    return true;
  }

  private void sendNew(ConsumerSession to, int maxBatches) {
    long now = shared.ticker().nanoTime();
    DeliveryWindow window = shared.window();
    while (sent < maxBatches && to.isReady() && window.hasRoom()) {
      StoredEntry next = readAhead.poll();
      if (next == null) {
        if (tail.waiting() || !readMore()) {
          return;
        }
        continue;
      }
      readAheadBytes -= next.entry().payload().size();
      InFlightBatch b = acks.track(shardId, next.lsn(), next.entry().recordCount());
      if (b.size == 0) {
        continue; // a damaged batch: nothing to deliver, it counts as acknowledged
      }
      b.deadlineNanos = now + shared.ackTimeoutNanos();
      window.delivered(b.size);
      if (!to.send(FetchResponses.whole(b, BatchEntries.batch(next)))) {
        markForResend(b);
        return;
      }
      shared.meters().sent(b.size, next.entry().payload().size());
      sent++;
    }
    if (!window.hasRoom()) {
      // Delivery waits for acknowledgements, maybe for long: hold no payloads meanwhile.
      dropReadAhead();
    }
  }

  /** The batch read from the store again, or null when it is gone (trimmed) or damaged. */
  private StoredEntry readAgain(InFlightBatch b) {
    List<StoredEntry> found = shared.shardLog().read(shardId, b.lsn, 1);
    if (found.isEmpty()
        || found.get(0).lsn() != b.lsn
        || found.get(0).entry().recordCount() != b.size) {
      return null;
    }
    return found.get(0);
  }

  private void readFailed(RuntimeException e) {
    String reason = e.toString();
    if (!reason.equals(failure)) {
      log.warn(
          "subscription {}: shard {} cannot be read ({}); its other shards go on, this one is tried"
              + " again every {} s",
          shared.subscriptionId(),
          Long.toUnsignedString(shardId),
          reason,
          TimeUnit.NANOSECONDS.toSeconds(RETRY_NANOS));
    }
    failure = reason;
    retryAtNanos = shared.ticker().nanoTime() + RETRY_NANOS;
  }

  /** Whether the shard failed and its retry time has come (the dispatcher's tick checks). */
  boolean retryDue(long nowNanos) {
    return failure != null && nowNanos - retryAtNanos >= 0;
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

  /** About what this shard holds on the heap: read-ahead payloads and in-flight bookkeeping. */
  long footprintBytes() {
    return readAheadBytes + acks.footprintBytes();
  }

  /** Forgets the batches read ahead; they are read again when delivery resumes. */
  void dropReadAhead() {
    StoredEntry first = readAhead.peek();
    if (first != null) {
      readLsn = first.lsn();
      readAhead.clear();
      readAheadBytes = 0;
    }
  }

  private void markForResend(InFlightBatch b) {
    b.resendPending = true;
    resendPending++;
  }

  /** Reads the next batches; false when there are none yet (a wake-up is then registered). */
  private boolean readMore() {
    List<StoredEntry> batches = shared.shardLog().read(shardId, readLsn, READ_AHEAD);
    if (batches.isEmpty()) {
      tail.await(shardId, readLsn - 1);
      return false;
    }
    for (StoredEntry batch : batches) {
      int bytes = batch.entry().payload().size();
      if (!readAhead.isEmpty() && readAheadBytes + bytes > READ_AHEAD_BYTES) {
        break; // read again when its turn comes
      }
      readAhead.add(batch);
      readAheadBytes += bytes;
      readLsn = batch.lsn() + 1;
    }
    return true;
  }
}
