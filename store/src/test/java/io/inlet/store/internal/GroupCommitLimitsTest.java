package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.append.AppendResult;
import io.inlet.store.StoreOptions;
import io.inlet.store.StoreOptions.GroupCommit;
import io.inlet.store.StreamSpec;
import io.inlet.store.metrics.StoreMetrics;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group-commit limits are store settings, and the writer keeps to them. */
class GroupCommitLimitsTest {
  @TempDir Path dir;

  @Test
  void a_group_takes_no_more_appends_than_its_limit() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StoreOptions options =
        new StoreOptions(dir, Duration.ofMinutes(1), false, registry)
            .withGroupCommit(new GroupCommit(64L << 20, 1 << 20, 3, 2));
    try (RocksStreamStore store = RocksStreamStore.open(options)) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        appends.add(store.log().append("s", shard, TestStores.batch("r" + i, 1)));
      }
      appends.forEach(TestStores::await);

      DistributionSummary groups = registry.find(StoreMetrics.GROUP_COMMIT_BATCHES).summary();
      assertThat(groups.totalAmount()).isEqualTo(200);
      assertThat(groups.max()).isLessThanOrEqualTo(3);
      assertThat(store.log().position(shard).lastLsn()).isEqualTo(200);
    }
  }

  @Test
  void the_defaults_are_the_documented_limits() {
    assertThat(StoreOptions.defaults(dir).groupCommit())
        .isEqualTo(new GroupCommit(256L << 20, 32 << 20, 4096, 1, Duration.ofNanos(500_000)));
  }

  @Test
  void limits_out_of_range_are_refused_naming_the_limit() {
    assertThatThrownBy(() -> new GroupCommit(1000, 32 << 20, 4096, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxQueuedBytes");
    assertThatThrownBy(() -> new GroupCommit(256L << 20, 1000, 4096, 1))
        .hasMessageContaining("maxGroupBytes");
    assertThatThrownBy(() -> new GroupCommit(256L << 20, 32 << 20, 0, 1))
        .hasMessageContaining("maxGroupOps");
    assertThatThrownBy(() -> new GroupCommit(256L << 20, 32 << 20, 4096, 0))
        .hasMessageContaining("ackThreads");
    assertThatThrownBy(() -> new GroupCommit(256L << 20, 32 << 20, 4096, 1, Duration.ofMillis(101)))
        .hasMessageContaining("commitDelay");
    assertThatThrownBy(() -> new GroupCommit(256L << 20, 32 << 20, 4096, 1, Duration.ofNanos(-1)))
        .hasMessageContaining("commitDelay");
  }

  @Test
  void with_a_commit_delay_an_append_waits_for_as_many_as_the_last_group_held() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RocksStreamStore store = storeWithDelay(registry, Duration.ofMillis(100))) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      commitTwoInOneGroup(store, shard);

      CompletableFuture<AppendResult> third =
          store.log().append("s", shard, TestStores.batch("c", 1));
      Thread.sleep(10);
      CompletableFuture<AppendResult> fourth =
          store.log().append("s", shard, TestStores.batch("d", 1));
      TestStores.await(third);
      TestStores.await(fourth);

      DistributionSummary groups = registry.find(StoreMetrics.GROUP_COMMIT_BATCHES).summary();
      assertThat(groups.count()).isEqualTo(2);
      assertThat(groups.totalAmount()).isEqualTo(4);
      Timer delays = registry.find(StoreMetrics.COMMIT_DELAY).timer();
      assertThat(delays.count()).isEqualTo(1);
      // The fourth append completed the expected pair and woke the writer: it did not sleep out
      // the 100 ms (the bound is loose so that a busy machine cannot fail it).
      assertThat(delays.max(TimeUnit.MILLISECONDS)).isLessThan(80);
    }
  }

  @Test
  void a_client_that_appends_one_at_a_time_never_waits_for_the_commit_delay() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RocksStreamStore store = storeWithDelay(registry, Duration.ofMillis(100))) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      for (int i = 0; i < 20; i++) {
        TestStores.await(store.log().append("s", shard, TestStores.batch("r" + i, 1)));
      }

      assertThat(registry.find(StoreMetrics.GROUP_COMMIT_BATCHES).summary().count()).isEqualTo(20);
      assertThat(registry.find(StoreMetrics.COMMIT_DELAY).timer().count()).isZero();
    }
  }

  private RocksStreamStore storeWithDelay(SimpleMeterRegistry registry, Duration delay) {
    return RocksStreamStore.open(
        new StoreOptions(dir, Duration.ofMinutes(1), false, registry)
            .withGroupCommit(new GroupCommit(64L << 20, 1 << 20, 4096, 1, delay)));
  }

  /** Holds the writer while two appends queue, so that its next group takes both. */
  private static void commitTwoInOneGroup(RocksStreamStore store, long shard) throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> held =
        CompletableFuture.runAsync(
            () ->
                store
                    .writer()
                    .runExclusive(
                        () -> {
                          holding.countDown();
                          return release.await(10, TimeUnit.SECONDS);
                        }));
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<AppendResult> a = store.log().append("s", shard, TestStores.batch("a", 1));
    CompletableFuture<AppendResult> b = store.log().append("s", shard, TestStores.batch("b", 1));
    release.countDown();
    held.get(10, TimeUnit.SECONDS);
    TestStores.await(a);
    TestStores.await(b);
  }
}
