package io.inlet.cluster.replication;

import static io.inlet.cluster.replication.LocalReplicas.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.cluster.metadata.LocalMetadataGroup;
import io.inlet.cluster.metadata.ReadMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Epochs from a real three-voter metadata group: claimed from any node, concurrently, they never
 * repeat and only grow; without a majority none is given; and a shard leader that took one fences
 * the leader before it.
 */
class MetadataEpochSourceIT {
  private static final long SHARD = 42;

  @TempDir Path dir;

  @Test
  void epochs_claimed_from_every_node_at_once_are_distinct_and_grow() throws Exception {
    try (LocalMetadataGroup group = LocalMetadataGroup.of(dir, 3).startAll()) {
      group.awaitLeader();
      List<MetadataEpochSource> sources = new ArrayList<>();
      for (int id = 1; id <= 3; id++) {
        sources.add(new MetadataEpochSource(group.node(id)));
      }
      long first = sources.get(0).nextEpoch(SHARD);
      assertThat(first).isPositive();

      List<CompletableFuture<Long>> claims = new ArrayList<>();
      for (int round = 0; round < 10; round++) {
        for (MetadataEpochSource source : sources) {
          claims.add(CompletableFuture.supplyAsync(() -> source.nextEpoch(SHARD)));
        }
      }
      List<Long> epochs = claims.stream().map(CompletableFuture::join).toList();
      assertThat(epochs).doesNotHaveDuplicates().allMatch(e -> e > first);
      long latest = epochs.stream().mapToLong(Long::longValue).max().orElseThrow();
      var entry =
          group
              .node(2)
              .get(MetadataEpochSource.NAMESPACE, "42", ReadMode.LINEARIZABLE)
              .join()
              .orElseThrow();
      assertThat(entry.version()).isEqualTo(latest);
      assertThat(new String(entry.value(), StandardCharsets.UTF_8)).isIn("1", "2", "3");
      assertThat(sources.get(2).nextEpoch(SHARD + 1)).isGreaterThan(latest);
    }
  }

  @Test
  void no_epoch_is_given_without_a_majority() throws Exception {
    try (LocalMetadataGroup group =
        LocalMetadataGroup.of(dir, 3)
            .tuning(s -> s.withRequestTimeout(Duration.ofSeconds(3)))
            .startAll()) {
      group.awaitLeader();
      MetadataEpochSource source = new MetadataEpochSource(group.node(1));
      source.nextEpoch(SHARD);
      group.stop(2);
      group.stop(3);

      assertThatThrownBy(() -> source.nextEpoch(SHARD))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no epoch for shard 42")
          .hasMessageContaining("majority");
    }
  }

  @Test
  void a_leader_with_a_metadata_epoch_fences_the_leader_before_it() throws Exception {
    try (LocalMetadataGroup group = LocalMetadataGroup.of(dir.resolve("meta"), 3).startAll();
        LocalReplicas replicas = new LocalReplicas(dir.resolve("log"), 3)) {
      group.awaitLeader();
      ShardLeader first =
          replicas
              .node(0)
              .lead(SHARD, replicas.followersOf(0), new MetadataEpochSource(group.node(1)));
      assertThat(first.append(entry("a")).join()).isEqualTo(1);

      ShardLeader second =
          replicas
              .node(1)
              .lead(SHARD, replicas.followersOf(1), new MetadataEpochSource(group.node(3)));
      assertThat(second.append(entry("b")).join()).isEqualTo(2);
      assertThatThrownBy(() -> first.append(entry("c")).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(LeaderFencedException.class);
      assertThat(replicas.ids(1, SHARD)).containsExactly("a", "b");
    }
  }
}
