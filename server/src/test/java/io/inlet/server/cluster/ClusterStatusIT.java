package io.inlet.server.cluster;

import static io.inlet.cli.CliRun.at;
import static io.inlet.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.api.hstream.Stream;
import io.inlet.cli.CliRun;
import io.inlet.testing.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inlet cluster status --shards} against three nodes: asked of any node, it names each
 * shard's leader, its committed LSN and every replica's lag; a replica that is down falls behind
 * while the two others keep acknowledging, and the table says so.
 */
class ClusterStatusIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private LocalCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shards_show_leaders_committed_lsns_and_replica_lag() throws IOException {
    cluster = LocalCluster.start(dir, 3, Map.of());
    cluster
        .client(1)
        .stub()
        .createStream(
            Stream.newBuilder()
                .setStreamName("replicated")
                .setShardCount(1)
                .setReplicationFactor(3)
                .build());
    cluster.client(1).createStream("single", 2);
    long replicatedShard = cluster.client(1).shardIds("replicated").get(0);
    awaitAppend(1, replicatedShard, "a", 5);
    for (long shard : cluster.client(1).shardIds("single")) {
      cluster.client(1).append("single", shard, "s", 2);
    }

    // Asked of every node: the same leader, every record committed, every replica caught up.
    for (int asked = 1; asked <= 3; asked++) {
      int node = asked;
      Await.until(
          () -> "node " + node + " shows every replica caught up: " + shards(node),
          LocalCluster.CONVERGE,
          () -> {
            Map<Long, JsonNode> shards = shards(node);
            JsonNode replicated = shards.get(replicatedShard);
            return replicated != null
                && replicated.path("committedLsn").asLong() >= 1
                && lags(replicated).size() == 3
                && lags(replicated).values().stream().allMatch(lag -> lag == 0);
          });
      Map<Long, JsonNode> shards = shards(node);
      for (long shard : cluster.client(1).shardIds("single")) {
        JsonNode single = shards.get(shard);
        assertThat(single.path("leader").path("id").asInt())
            .as("the owner of shard %d", shard)
            .isEqualTo(cluster.owners("single").get(shard));
        assertThat(lags(single)).hasSize(1);
        assertThat(single.path("committedLsn").asLong()).isPositive();
      }
    }

    // A follower closed: the two others keep acknowledging, and it falls behind.
    int leader = shards(1).get(replicatedShard).path("leader").path("id").asInt();
    int follower = leader == 3 ? 2 : 3;
    int survivor = 6 - leader - follower;
    long committedBefore = shards(leader).get(replicatedShard).path("committedLsn").asLong();
    cluster.server(follower).close();
    awaitAppend(leader, replicatedShard, "b", 5);
    JsonNode after = shards(survivor).get(replicatedShard);
    assertThat(after.path("committedLsn").asLong()).isGreaterThan(committedBefore);
    assertThat(lags(after).get(follower)).as("lag of the closed node %d", follower).isPositive();
    assertThat(lags(after).get(leader)).isZero();

    CliRun table = run(at(address(survivor), "cluster", "status", "--shards"));
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out()).contains("COMMITTED", "REPLICAS (NODE:LAG)", follower + ":");
  }

  /** Appends through {@code node} once the shard has a leader that takes it. */
  private void awaitAppend(int node, long shard, String prefix, int count) {
    List<Throwable> failures = new ArrayList<>();
    Await.until(
        () -> "an append to shard " + shard + " through node " + node + " succeeds: " + failures,
        LocalCluster.CONVERGE,
        () -> {
          try {
            cluster.client(node).append("replicated", shard, prefix, count);
            return true;
          } catch (RuntimeException e) {
            failures.add(e);
            return false;
          }
        });
  }

  private Map<Long, JsonNode> shards(int node) {
    CliRun status = run(at(address(node), "cluster", "status", "--shards", "--json"));
    assertThat(status.exitCode()).as(status.toString()).isZero();
    Map<Long, JsonNode> shards = new HashMap<>();
    try {
      for (JsonNode shard : JSON.readTree(status.out()).path("shards")) {
        shards.put(shard.path("shard").asLong(), shard);
      }
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + status, e);
    }
    return shards;
  }

  private static Map<Integer, Long> lags(JsonNode shard) {
    Map<Integer, Long> lags = new HashMap<>();
    for (JsonNode replica : shard.path("replicas")) {
      lags.put(replica.path("id").asInt(), replica.path("lagEntries").asLong());
    }
    return lags;
  }

  private String address(int node) {
    return "127.0.0.1:" + cluster.server(node).grpcPort();
  }
}
