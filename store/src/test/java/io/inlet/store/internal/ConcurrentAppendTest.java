package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.append.AppendResult;
import io.inlet.store.ShardStorage;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentAppendTest {
  private static final int THREADS = 64;
  private static final int PER_THREAD = 50;

  @TempDir Path dir;

  /** Where the store under test keeps its entries; {@code Segment*Test} runs these on segments. */
  ShardStorage storage() {
    return ShardStorage.ROCKSDB;
  }

  @Test
  void appends_from_64_threads_are_all_durable_ordered_and_unique() throws Exception {
    StreamInfo stream;
    Map<Long, Set<Long>> acked = new HashMap<>();
    Set<String> payloads = new HashSet<>();
    try (RocksStreamStore store = TestStores.open(dir, storage())) {
      stream = store.streams().create(new StreamSpec("load", 4, 1, 0));
      List<Long> shardIds = stream.shards().stream().map(s -> s.shardId()).toList();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<AppendResult>>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        workers.add(
            pool.submit(
                () -> {
                  start.await();
                  // Each thread keeps several appends in flight, as a gRPC handler would.
                  List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
                  for (int i = 0; i < PER_THREAD; i++) {
                    long shardId = shardIds.get((thread + i) % shardIds.size());
                    futures.add(
                        store
                            .log()
                            .append("load", shardId, TestStores.batch("t" + thread + "i" + i, 2)));
                  }
                  return futures.stream().map(TestStores::await).toList();
                }));
      }
      start.countDown();
      for (int t = 0; t < THREADS; t++) {
        Map<Long, Long> lastOfThread = new HashMap<>();
        for (AppendResult result : workers.get(t).get()) {
          // One caller's appends to a shard keep their order.
          Long previous = lastOfThread.put(result.shardId(), result.lsn());
          assertThat(previous == null || previous < result.lsn()).isTrue();
          assertThat(
                  acked.computeIfAbsent(result.shardId(), id -> new HashSet<>()).add(result.lsn()))
              .as("LSN %d of shard %d given twice", result.lsn(), result.shardId())
              .isTrue();
        }
      }
      pool.shutdown();

      int total = 0;
      for (long shardId : shardIds) {
        Set<Long> lsns = acked.getOrDefault(shardId, Set.of());
        total += lsns.size();
        // Consecutive from 1: no gaps, no duplicates.
        assertThat(lsns).hasSize((int) store.log().position(shardId).lastLsn());
        for (long lsn = 1; lsn <= lsns.size(); lsn++) {
          assertThat(lsns).contains(lsn);
        }
        List<StoredEntry> stored = store.log().read(shardId, 1, Integer.MAX_VALUE);
        assertThat(stored).extracting(StoredEntry::lsn).isSorted().hasSize(lsns.size());
        for (StoredEntry batch : stored) {
          String payload = TestStores.firstPayload(batch.entry());
          assertThat(payloads.add(payload)).as("batch %s stored twice", payload).isTrue();
        }
      }
      assertThat(total).isEqualTo(THREADS * PER_THREAD);
    }

    // Every acknowledged batch is still there after a restart.
    try (RocksStreamStore store = TestStores.open(dir, storage())) {
      for (Map.Entry<Long, Set<Long>> shard : acked.entrySet()) {
        assertThat(store.log().position(shard.getKey()).lastLsn())
            .isEqualTo(shard.getValue().size());
        assertThat(store.log().read(shard.getKey(), 1, Integer.MAX_VALUE))
            .hasSize(shard.getValue().size());
      }
    }
  }
}
