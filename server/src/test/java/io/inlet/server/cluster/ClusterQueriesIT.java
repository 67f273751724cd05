package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.CommandQuery;
import io.inlet.api.hstream.CreateQueryRequest;
import io.inlet.api.hstream.ExecuteViewQueryRequest;
import io.inlet.api.hstream.GetQueryRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ListQueriesRequest;
import io.inlet.api.hstream.LookupResourceRequest;
import io.inlet.api.hstream.PauseQueryRequest;
import io.inlet.api.hstream.Query;
import io.inlet.api.hstream.ResourceType;
import io.inlet.api.hstream.ResumeQueryRequest;
import io.inlet.api.hstream.TaskStatusPB;
import io.inlet.api.record.HStreamRecords;
import io.inlet.cluster.placement.RendezvousPlacement;
import io.inlet.server.connect.MetadataKeyValueStore;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries in a cluster run on one node each, may be managed through any node, share their
 * checkpoints through the replicated metadata, and are taken over by another node when theirs
 * stops: a filter query and a view, created through a node that does not run them, are placed on
 * one node; the filter is paused and resumed through another node; once both have shared a
 * checkpoint, that node is stopped and its SQL data deleted; the next node resumes both where they
 * stopped: the view's counts are exact over everything appended before and after, and the filter's
 * result stream holds each matching record once.
 */
class ClusterQueriesIT {
  private static final Duration RESULTS = Duration.ofMinutes(2);
  private static final List<Integer> NODES = List.of(1, 2, 3);

  @TempDir Path dir;
  private LocalCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void queries_run_on_one_node_and_another_resumes_them_from_their_shared_checkpoint()
      throws Exception {
    cluster = LocalCluster.start(dir, 3, Map.of("sql-checkpoint-interval", "500ms"));
    String filter = "hot-readings";
    int owner = RendezvousPlacement.ownerOf(filter, NODES);
    String view = nameOwnedBy(owner, "device-totals");
    int other = owner == 1 ? 2 : 1;
    GrpcClient through = cluster.client(other);
    through.createReplicatedStream("readings", 1, 3);
    // Appended first: the queries' column types are inferred from the stream's records.
    List<Reading> before = readings(0, 300);
    append(through, before);
    create(
        through,
        filter,
        "CREATE STREAM hot AS SELECT device, v FROM readings WHERE v > 50 WITH (REPLICATE = 3);");
    create(
        through,
        view,
        "CREATE VIEW totals AS SELECT device, COUNT(*) AS n, SUM(v) AS total FROM readings"
            + " GROUP BY device;");
    for (String query : List.of(filter, view)) {
      assertThat(get(through, query).getNodeId())
          .as("the node that runs %s, named by node %d", query, other)
          .isEqualTo(owner);
      assertThat(shownNode(through, query)).as("SHOW QUERIES on node %d", other).isEqualTo(owner);
      Await.until(
          () -> query + " RUNNING on node " + owner,
          RESULTS,
          () -> get(cluster.client(owner), query).getStatus() == TaskStatusPB.TASK_RUNNING);
    }

    awaitResults(through, before);
    long processed = System.currentTimeMillis();
    // Each query's checkpoint after the first records is shared, not only its savepoint at a stop.
    for (String query : List.of(filter, view)) {
      Await.until(
          () -> query + "'s checkpoint shared",
          RESULTS,
          () -> sharedCheckpointTakenAt(other, query) > processed);
    }

    // Paused and resumed through a node that does not run it: the node that does stops the job
    // with a savepoint, then resumes it from there.
    through.stub().pauseQuery(PauseQueryRequest.newBuilder().setId(filter).build());
    Await.until(
        () -> filter + " paused: " + get(cluster.client(owner), filter).getStatus(),
        RESULTS,
        () -> get(cluster.client(owner), filter).getStatus() == TaskStatusPB.TASK_PAUSED);
    through.stub().resumeQuery(ResumeQueryRequest.newBuilder().setId(filter).build());
    Await.until(
        () -> filter + " running again on node " + owner,
        RESULTS,
        () -> get(cluster.client(owner), filter).getStatus() == TaskStatusPB.TASK_RUNNING);

    cluster.stop(owner);
    deleteRecursively(dir.resolve("node-" + owner).resolve("sql"));
    int survivor = NODES.stream().filter(n -> n != owner && n != other).findFirst().orElseThrow();
    GrpcClient asked = cluster.client(survivor);
    // Calls may fail while the metadata elects a leader again (if the stopped node led it).
    Await.until(
        () -> "another node runs " + filter + ": " + nodeOf(asked, filter),
        LocalCluster.CONVERGE,
        () ->
            List.of(nodeOf(asked, filter), nodeOf(asked, view)).stream()
                .allMatch(n -> n > 0 && n != owner));

    List<Reading> after = readings(300, 300);
    append(asked, after);
    List<Reading> all = new ArrayList<>(before);
    all.addAll(after);
    awaitResults(asked, all);
    for (String query : List.of(filter, view)) {
      int taker = get(asked, query).getNodeId();
      assertThat(
              asked
                  .stub()
                  .lookupResource(
                      LookupResourceRequest.newBuilder()
                          .setResType(ResourceType.ResQuery)
                          .setResId(query)
                          .build())
                  .getId())
          .as("LookupResource of %s", query)
          .isEqualTo(taker);
      assertThat(get(cluster.client(taker), query).getStatus())
          .as("%s on node %d, which took it", query, taker)
          .isEqualTo(TaskStatusPB.TASK_RUNNING);
    }
    assertThat(asked.stub().listQueries(ListQueriesRequest.getDefaultInstance()).getQueriesList())
        .extracting(Query::getId)
        .containsExactlyInAnyOrder(filter, view);
  }

  private record Reading(String device, long v) {}

  /** {@code count} readings of three devices, numbered from {@code from}, values 0 to 99. */
  private static List<Reading> readings(int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(i -> new Reading("d" + (i % 3), (i * 37L) % 100))
        .toList();
  }

  private static void append(GrpcClient client, List<Reading> readings) {
    long shard = client.shardIds("readings").get(0);
    for (int i = 0; i < readings.size(); i += 50) {
      List<HStreamRecord> records = new ArrayList<>();
      for (Reading r : readings.subList(i, Math.min(readings.size(), i + 50))) {
        records.add(
            HStreamRecords.json(
                r.device(),
                HStreamRecords.structFromJson(
                    "{\"device\": \"" + r.device() + "\", \"v\": " + r.v() + "}"),
                Map.of()));
      }
      LedAppends.append(client, "readings", shard, records, LocalCluster.CONVERGE);
    }
  }

  /**
   * Waits until the view's rows are the counts and sums of {@code readings}, and the filter's
   * stream holds the readings above 50; then checks the stream holds each of them once.
   */
  private static void awaitResults(GrpcClient client, List<Reading> readings) {
    Map<String, String> totals = new TreeMap<>();
    readings.stream()
        .map(Reading::device)
        .distinct()
        .forEach(
            d ->
                totals.put(
                    d,
                    "n="
                        + readings.stream().filter(r -> r.device().equals(d)).count()
                        + " total="
                        + readings.stream()
                            .filter(r -> r.device().equals(d))
                            .mapToLong(Reading::v)
                            .sum()));
    Await.until(
        () -> "the view's rows " + totals(client) + ", expected " + totals,
        RESULTS,
        () -> totals(client).equals(totals));
    List<String> hot =
        readings.stream().filter(r -> r.v() > 50).map(r -> r.device() + "=" + r.v()).toList();
    Await.until(
        () -> "the filter's records: " + hot(client).size() + " of " + hot.size(),
        RESULTS,
        () -> hot(client).size() >= hot.size());
    assertThat(hot(client))
        .as("each matching reading once")
        .containsExactlyInAnyOrderElementsOf(hot);
  }

  private static Map<String, String> totals(GrpcClient client) {
    Map<String, String> out = new TreeMap<>();
    for (Struct row :
        client
            .stub()
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .executeViewQuery(
                ExecuteViewQueryRequest.newBuilder().setSql("SELECT * FROM totals;").build())
            .getResultsList()) {
      out.put(
          row.getFieldsOrThrow("device").getStringValue(),
          "n="
              + (long) row.getFieldsOrThrow("n").getNumberValue()
              + " total="
              + (long) row.getFieldsOrThrow("total").getNumberValue());
    }
    return out;
  }

  private static List<String> hot(GrpcClient client) {
    List<String> out = new ArrayList<>();
    for (HStreamRecord r : StreamContents.records(client, "hot")) {
      try {
        Struct s = Struct.parseFrom(r.getPayload());
        out.add(
            s.getFieldsOrThrow("device").getStringValue()
                + "="
                + (long) s.getFieldsOrThrow("v").getNumberValue());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  private static void create(GrpcClient client, String name, String sql) {
    client
        .stub()
        .withDeadlineAfter(120, TimeUnit.SECONDS)
        .createQuery(CreateQueryRequest.newBuilder().setQueryName(name).setSql(sql).build());
  }

  /** The {@code node} column of the query's row in SHOW QUERIES. */
  private static int shownNode(GrpcClient client, String query) {
    return client
        .stub()
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .executeQuery(CommandQuery.newBuilder().setStmtText("SHOW QUERIES;").build())
        .getResultSetList()
        .stream()
        .filter(row -> row.getFieldsOrThrow("query_id").getStringValue().equals(query))
        .map(row -> Integer.parseInt(row.getFieldsOrThrow("node").getStringValue()))
        .findFirst()
        .orElseThrow();
  }

  /**
   * The node that runs {@code query}, as {@code client}'s node names it; -1 when the call fails.
   */
  private static int nodeOf(GrpcClient client, String query) {
    try {
      return get(client, query).getNodeId();
    } catch (StatusRuntimeException e) {
      return -1;
    }
  }

  private static Query get(GrpcClient client, String query) {
    return client.stub().getQuery(GetQueryRequest.newBuilder().setId(query).build());
  }

  /** When the query's shared restore point was taken, as node {@code node} reads the metadata. */
  private long sharedCheckpointTakenAt(int node, String query) {
    return new MetadataKeyValueStore(
            new ReplicatedMetadataCatalog(cluster.server(node).replicatedMetadata().orElseThrow()))
        .get("sql.checkpoints", "taken-at/" + query)
        .map(b -> Long.parseLong(new String(b, StandardCharsets.US_ASCII)))
        .orElse(0L);
  }

  /** The first of {@code base}, {@code base-1}, ... that the three nodes place on {@code node}. */
  private static String nameOwnedBy(int node, String base) {
    for (int i = 0; i < 100; i++) {
      String name = i == 0 ? base : base + "-" + i;
      if (RendezvousPlacement.ownerOf(name, NODES) == node) {
        return name;
      }
    }
    throw new AssertionError("no name of 100 is placed on node " + node);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var files = Files.walk(path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
