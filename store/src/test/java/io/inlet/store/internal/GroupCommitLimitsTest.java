package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.append.AppendResult;
import io.inlet.store.StoreOptions;
import io.inlet.store.StoreOptions.GroupCommit;
import io.inlet.store.StreamSpec;
import io.inlet.store.metrics.StoreMetrics;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
        .isEqualTo(new GroupCommit(256L << 20, 32 << 20, 4096, 1));
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
  void with_a_commit_delay_an_append_waits_for_the_next_one_and_both_share_a_group()
      throws InterruptedException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StoreOptions options =
        new StoreOptions(dir, Duration.ofMinutes(1), false, registry)
            .withGroupCommit(new GroupCommit(64L << 20, 1 << 20, 4096, 1, Duration.ofMillis(100)));
    try (RocksStreamStore store = RocksStreamStore.open(options)) {
      long shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
      CompletableFuture<AppendResult> first =
          store.log().append("s", shard, TestStores.batch("a", 1));
      Thread.sleep(10);
      CompletableFuture<AppendResult> second =
          store.log().append("s", shard, TestStores.batch("b", 1));
      TestStores.await(first);
      TestStores.await(second);

      DistributionSummary groups = registry.find(StoreMetrics.GROUP_COMMIT_BATCHES).summary();
      assertThat(groups.count()).isEqualTo(1);
      assertThat(groups.totalAmount()).isEqualTo(2);
    }
  }
}
