package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.GetQueryRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.TaskStatusPB;
import io.inlet.api.record.HStreamRecords;
import io.inlet.cluster.placement.RendezvousPlacement;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query whose node is killed with SIGKILL (three node processes): it cannot hand over a
 * savepoint, so the node that takes it resumes from the last checkpoint its node shared. After more
 * records its result stream holds every matching record (at least once), and records from before
 * that checkpoint are not written again: fewer repeats than the records appended before the kill,
 * which a start from nothing would repeat in full.
 */
class ClusterQueryKillIT {
  private static final Duration RESULTS = Duration.ofMinutes(2);
  private static final List<Integer> NODES = List.of(1, 2, 3);
  private static final String QUERY = "hot-readings";

  @TempDir Path dir;

  @Test
  void a_killed_nodes_query_resumes_elsewhere_from_its_last_shared_checkpoint() throws Exception {
    List<GrpcClient> clients = new ArrayList<>();
    try (io.inlet.server.testing.clusterkill.LocalCluster nodes =
        new io.inlet.server.testing.clusterkill.LocalCluster(
            3, dir, List.of("--sql-checkpoint-interval", "500ms"))) {
      for (int i = 0; i < 3; i++) {
        nodes.spawn(i);
      }
      for (int i = 0; i < 3; i++) {
        nodes.awaitReady(i, Duration.ofMinutes(2));
        clients.add(new GrpcClient(nodes.grpcPort(i)));
      }
      assertThat(nodes.awaitAllRunning(Duration.ofMinutes(1))).isTrue();
      int owner = RendezvousPlacement.ownerOf(QUERY, NODES);
      int other = owner == 1 ? 2 : 1;
      GrpcClient through = clients.get(other - 1);
      through.createReplicatedStream("readings", 1, 3);
      List<Long> before = values(0, 300);
      append(through, before);
      through
          .stub()
          .withDeadlineAfter(120, TimeUnit.SECONDS)
          .createQuery(
              CreateQueryRequest.newBuilder()
                  .setQueryName(QUERY)
                  .setSql(
                      "CREATE STREAM hot AS SELECT v FROM readings WHERE v > 50"
                          + " WITH (REPLICATE = 3);")
                  .build());
      long matchingBefore = before.stream().filter(v -> v > 50).count();
      Await.until(
          () -> "the results of the first records: " + hot(through).size(),
          RESULTS,
          () -> hot(through).size() >= matchingBefore);
      assertThat(get(through).getNodeId()).isEqualTo(owner);
      // Checkpoints every 500 ms, each shared within a second or so: several cover every record.
      Thread.sleep(4000);

      nodes.kill(owner - 1);
      int survivor = NODES.stream().filter(n -> n != owner && n != other).findFirst().orElseThrow();
      GrpcClient asked = clients.get(survivor - 1);
      // Calls may fail while the cluster notices the kill (a metadata leader to elect): asked
      // again.
      Await.until(
          () -> "another node runs the query: " + nodeOf(asked),
          RESULTS,
          () -> nodeOf(asked) > 0 && nodeOf(asked) != owner);
      int taker = nodeOf(asked);
      Await.until(
          () -> "RUNNING on node " + taker,
          RESULTS,
          () -> {
            try {
              return get(clients.get(taker - 1)).getStatus() == TaskStatusPB.TASK_RUNNING;
            } catch (StatusRuntimeException e) {
              return false;
            }
          });
      List<Long> after = values(300, 300);
      append(asked, after);

      List<Long> all = new ArrayList<>(before);
      all.addAll(after);
      Map<Long, Long> expected = counts(all.stream().filter(v -> v > 50).toList());
      Await.until(
          () -> "every matching record in the result stream",
          RESULTS,
          () -> {
            Map<Long, Long> written = counts(hot(asked));
            return expected.entrySet().stream()
                .allMatch(e -> written.getOrDefault(e.getKey(), 0L) >= e.getValue());
          });
      Map<Long, Long> written = counts(hot(asked));
      long repeats = 0;
      for (Map.Entry<Long, Long> e : expected.entrySet()) {
        assertThat(written.get(e.getKey()))
            .as("copies of value %d", e.getKey())
            .isGreaterThanOrEqualTo(e.getValue());
        repeats += written.get(e.getKey()) - e.getValue();
      }
      System.out.printf(
          "node %d killed, node %d took the query: %d of %d results written again%n",
          owner, taker, repeats, matchingBefore);
      assertThat(written.keySet()).as("only matching values").isEqualTo(expected.keySet());
      assertThat(repeats)
          .as(
              "results written again after the kill (from nothing it would be all %d)",
              matchingBefore)
          .isLessThan(matchingBefore);
    } finally {
      for (GrpcClient client : clients) {
        client.close();
      }
    }
  }

  /** {@code count} values from 0 to 99, numbered from {@code from}. */
  private static List<Long> values(int from, int count) {
    return IntStream.range(from, from + count).mapToObj(i -> (i * 37L) % 100).toList();
  }

  private static Map<Long, Long> counts(List<Long> values) {
    Map<Long, Long> out = new HashMap<>();
    values.forEach(v -> out.merge(v, 1L, Long::sum));
    return out;
  }

  private static void append(GrpcClient client, List<Long> values) {
    long shard = client.shardIds("readings").get(0);
    for (int i = 0; i < values.size(); i += 50) {
      List<HStreamRecord> records = new ArrayList<>();
      for (long v : values.subList(i, Math.min(values.size(), i + 50))) {
        records.add(
            HStreamRecords.json(
                "k", HStreamRecords.structFromJson("{\"v\": " + v + "}"), Map.of()));
      }
      LedAppends.append(client, "readings", shard, records, RESULTS);
    }
  }

  private static List<Long> hot(GrpcClient client) {
    List<Long> out = new ArrayList<>();
    for (HStreamRecord r : StreamContents.records(client, "hot")) {
      try {
        out.add((long) Struct.parseFrom(r.getPayload()).getFieldsOrThrow("v").getNumberValue());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  /** The node that runs the query, as {@code client}'s node names it; -1 when the call fails. */
  private static int nodeOf(GrpcClient client) {
    try {
      return get(client).getNodeId();
    } catch (StatusRuntimeException e) {
      return -1;
    }
  }

  private static io.inlet.api.hstream.Query get(GrpcClient client) {
    return client.stub().getQuery(GetQueryRequest.newBuilder().setId(QUERY).build());
  }
}
