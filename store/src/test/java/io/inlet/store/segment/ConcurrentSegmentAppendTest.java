package io.inlet.store.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentSegmentAppendTest {
  private static final int THREADS = 8;
  private static final int PER_THREAD = 600;
  private static final int SHARDS = 3;

  @TempDir Path dir;

  @Test
  void concurrent_appenders_get_unique_consecutive_lsns_in_their_own_order_across_a_restart()
      throws Exception {
    SegmentLogOptions options = new SegmentLogOptions(16 << 10, 2048, 1 << 20, 1 << 20);
    Map<Long, Map<Long, long[]>> appended = new HashMap<>(); // shard -> lsn -> {thread, seq}
    try (SegmentLog log = SegmentLog.open(dir, options)) {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<CompletableFuture<Long>>>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<CompletableFuture<Long>> mine = new ArrayList<>();
                  for (int seq = 0; seq < PER_THREAD; seq++) {
                    mine.add(log.append(seq % SHARDS, entry(thread, seq)));
                  }
                  return mine;
                }));
      }
      start.countDown();
      for (int t = 0; t < THREADS; t++) {
        List<CompletableFuture<Long>> mine = results.get(t).get();
        for (int seq = 0; seq < PER_THREAD; seq++) {
          long lsn = mine.get(seq).join();
          long[] previous =
              appended
                  .computeIfAbsent((long) (seq % SHARDS), s -> new HashMap<>())
                  .put(lsn, new long[] {t, seq});
          assertThat(previous).as("LSN %d given twice", lsn).isNull();
        }
      }
      pool.shutdown();
      assertReadBack(log, appended);
    }
    try (SegmentLog log = SegmentLog.open(dir, options)) {
      assertReadBack(log, appended);
    }
  }

  private static void assertReadBack(SegmentLog log, Map<Long, Map<Long, long[]>> appended) {
    int total = 0;
    for (long shard = 0; shard < SHARDS; shard++) {
      Map<Long, long[]> byLsn = appended.get(shard);
      List<LoggedEntry> read = log.read(shard, 1, 100_000);
      assertThat(read).hasSize(byLsn.size());
      long[] lastSeqOfThread = new long[THREADS];
      java.util.Arrays.fill(lastSeqOfThread, -1);
      for (int i = 0; i < read.size(); i++) {
        LoggedEntry e = read.get(i);
        assertThat(e.lsn()).isEqualTo(i + 1);
        ByteBuffer payload = ByteBuffer.wrap(e.entry().payload());
        int thread = payload.getInt();
        int seq = payload.getInt();
        assertThat(byLsn.get(e.lsn())).containsExactly(thread, seq);
        assertThat(seq)
            .as("thread %d's appends keep their order", thread)
            .isGreaterThan((int) lastSeqOfThread[thread]);
        lastSeqOfThread[thread] = seq;
      }
      total += read.size();
    }
    assertThat(total).isEqualTo(THREADS * PER_THREAD);
  }

  private static SegmentEntry entry(int thread, int seq) {
    ByteBuffer payload = ByteBuffer.allocate(8 + (seq % 200));
    payload.putInt(thread).putInt(seq);
    return new SegmentEntry(payload.array(), 1 + seq % 4, 0, seq);
  }
}
