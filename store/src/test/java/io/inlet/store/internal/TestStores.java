package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.fail;

import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.store.StoreOptions;
import io.inlet.store.StoredBatch;
import io.inlet.store.StreamSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Shared helpers of the store tests. */
final class TestStores {
  private TestStores() {}

  static RocksStreamStore open(Path dir) {
    return RocksStreamStore.open(StoreOptions.defaults(dir));
  }

  /** A store that records its acknowledged LSNs only when it opens and closes. */
  static RocksStreamStore openWithoutPeriodicFloors(Path dir) {
    return RocksStreamStore.open(StoreOptions.defaults(dir), Duration.ofDays(1));
  }

  static RocksStreamStore open(Path dir, Duration retentionInterval) {
    return RocksStreamStore.open(new StoreOptions(dir, retentionInterval, false));
  }

  /** A batch of {@code records} RAW records whose payloads say "tag-i". */
  static BatchedRecord batch(String tag, int records) {
    List<HStreamRecord> list = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      list.add(
          HStreamRecords.raw(
              "key-" + i, (tag + "-" + i).getBytes(StandardCharsets.UTF_8), Map.of()));
    }
    return RecordBatches.encode(list, CompressionType.None);
  }

  /** Creates stream "s" of one shard and appends {@code batches} batches of 3 records to it. */
  static long oneShardWithBatches(RocksStreamStore store, int batches) {
    long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
    for (int i = 0; i < batches; i++) {
      await(store.log().append("s", shard, batch("b" + i, 3)));
    }
    return shard;
  }

  /** Every batch of the shard, read 100 at a time until a read returns none. */
  static List<StoredBatch> readAll(RocksStreamStore store, long shard) {
    List<StoredBatch> all = new ArrayList<>();
    long from = 1;
    for (List<StoredBatch> got; !(got = store.log().read(shard, from, 100)).isEmpty(); ) {
      all.addAll(got);
      from = got.get(got.size() - 1).lsn() + 1;
    }
    return all;
  }

  /** The first record's payload, to tell batches apart. */
  static String firstPayload(BatchedRecord batch) {
    return RecordBatches.decode(batch).get(0).getPayload().toStringUtf8();
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within 30 s", e);
    }
  }

  /** Fails the test unless the future fails; returns the cause. */
  static Throwable failure(CompletableFuture<?> future) {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("future did not fail within 30 s", e);
    }
    return fail("future completed normally");
  }

  /** Waits for a condition, polling, until the deadline. */
  static void awaitCondition(String what, Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("timed out after " + deadline + " waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
