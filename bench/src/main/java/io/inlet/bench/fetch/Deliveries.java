package io.inlet.bench.fetch;

import io.inlet.api.hstream.RecordId;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the consumers of one subscription received: every delivered record id, and how many distinct
 * ones, so redeliveries do not inflate the figure. Thread-safe.
 */
final class Deliveries {
  private record BatchKey(long shardId, long batchId) {}

  private final long expected;
  private final ConcurrentHashMap<BatchKey, BitSet> seen = new ConcurrentHashMap<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong distinct = new AtomicLong();
  private final CountDownLatch complete = new CountDownLatch(1);
  private volatile long firstNanos;
  private volatile long completeNanos;
  private volatile Throwable failure;

  Deliveries(long expected) {
    this.expected = expected;
  }

  void received(List<RecordId> ids) {
    if (firstNanos == 0) {
      firstNanos = System.nanoTime();
    }
    delivered.addAndGet(ids.size());
    int fresh = 0;
    BitSet bits = null;
    BatchKey lastKey = null;
    for (RecordId id : ids) {
      BatchKey key = new BatchKey(id.getShardId(), id.getBatchId());
      if (!key.equals(lastKey)) {
        bits = seen.computeIfAbsent(key, k -> new BitSet());
        lastKey = key;
      }
      synchronized (bits) {
        if (!bits.get(id.getBatchIndex())) {
          bits.set(id.getBatchIndex());
          fresh++;
        }
      }
    }
    if (distinct.addAndGet(fresh) >= expected && completeNanos == 0) {
      completeNanos = System.nanoTime();
      complete.countDown();
    }
  }

  void failed(Throwable error) {
    if (failure == null) {
      failure = error;
    }
    complete.countDown();
  }

  boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return complete.await(timeout, unit);
  }

  long delivered() {
    return delivered.get();
  }

  long distinct() {
    return distinct.get();
  }

  long firstNanos() {
    return firstNanos;
  }

  long completeNanos() {
    return completeNanos;
  }

  Throwable failure() {
    return failure;
  }
}
