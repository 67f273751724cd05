package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.inlet.store.Entry;
import io.inlet.store.ShardStorage;
import io.inlet.store.StoreOptions;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  static RocksStreamStore open(Path dir, ShardStorage storage) {
    return RocksStreamStore.open(StoreOptions.defaults(dir).withShardStorage(storage));
  }

  static RocksStreamStore open(Path dir, Duration retentionInterval, ShardStorage storage) {
    return RocksStreamStore.open(
        new StoreOptions(dir, retentionInterval, false).withShardStorage(storage));
  }

  /** A store that records its acknowledged LSNs only when it opens and closes. */
  static RocksStreamStore openWithoutPeriodicFloors(Path dir) {
    return RocksStreamStore.open(StoreOptions.defaults(dir), Duration.ofDays(1));
  }

  static RocksStreamStore open(Path dir, Duration retentionInterval) {
    return RocksStreamStore.open(new StoreOptions(dir, retentionInterval, false));
  }

  /**
   * An entry of {@code records} records (format 0) whose payload is their texts "tag-i", one a line
   * padded to 20 bytes (about what a small HStreamDB record takes, which the damage and repair
   * tests' file sizes assume): the store does not look inside, so any bytes do.
   */
  static Entry batch(String tag, int records) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < records; i++) {
      String line = tag + "-" + i;
      text.append(line).append(" ".repeat(Math.max(1, 19 - line.length()))).append('\n');
    }
    return new Entry(records, 0, ByteString.copyFromUtf8(text.toString()));
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
  static List<StoredEntry> readAll(RocksStreamStore store, long shard) {
    List<StoredEntry> all = new ArrayList<>();
    long from = 1;
    for (List<StoredEntry> got; !(got = store.log().read(shard, from, 100)).isEmpty(); ) {
      all.addAll(got);
      from = got.get(got.size() - 1).lsn() + 1;
    }
    return all;
  }

  /** The first record's text ({@link #batch}), to tell entries apart. */
  static String firstPayload(Entry entry) {
    String text = entry.payload().toStringUtf8();
    return text.substring(0, text.indexOf('\n')).strip();
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
