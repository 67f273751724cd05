package io.inlet.store.internal;

import io.inlet.store.ShardInfo;
import io.inlet.store.ShardLog;
import io.inlet.store.StoreException;
import io.inlet.store.StreamInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code retentionInterval}, trims from each shard of each stream with a backlog the batches
 * appended before {@code now - backlog}, through the store's {@link ShardLog} (RocksDB's or the
 * segment log's). Runs on the {@code inlet-store-retention} thread; a failed pass is logged and the
 * next one tries again.
 */
final class RetentionService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetentionService.class);

  private final RocksStreamCatalog streams;
  private final ShardRegistry registry;
  private final ShardLog shardLog;
  private final StoreGate gate;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;

  RetentionService(
      RocksStreamCatalog streams,
      ShardRegistry registry,
      ShardLog shardLog,
      StoreGate gate,
      Clock clock,
      Duration interval) {
    this.streams = streams;
    this.registry = registry;
    this.shardLog = shardLog;
    this.gate = gate;
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "inlet-store-retention");
              t.setDaemon(true);
              return t;
            });
    long millis = Math.max(1, interval.toMillis());
    scheduler.scheduleWithFixedDelay(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** One pass over every stream; never throws, so the schedule keeps running. */
  void runOnce() {
    try {
      long now = clock.millis();
      for (StreamInfo stream : streams.list("")) {
        if (stream.backlogSeconds() > 0) {
          expire(stream, now - stream.backlogSeconds() * 1000L);
        }
      }
    } catch (RuntimeException e) {
      if (!gate.isClosed()) {
        log.warn("retention pass failed; the next pass retries: {}", e.getMessage(), e);
      }
    }
  }

  private void expire(StreamInfo stream, long cutoffMs) {
    for (ShardInfo info : stream.shards()) {
      ShardState shard = registry.find(info.shardId());
      if (shard == null || shard.isDeleted()) {
        continue;
      }
      try {
        gate.run(
            () -> {
              long keepFrom = shardLog.lsnAtOrAfter(shard.shardId, cutoffMs);
              if (keepFrom > shard.firstLsn()) {
                shardLog.trimBefore(shard.shardId, keepFrom);
              }
            });
      } catch (StoreException e) {
        // The stream was deleted during the pass: nothing left to expire.
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("retention pass did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
