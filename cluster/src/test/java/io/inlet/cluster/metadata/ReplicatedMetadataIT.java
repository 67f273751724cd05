package io.inlet.cluster.metadata;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.cluster.HostPort;
import io.inlet.cluster.transport.ClusterTls;
import io.inlet.cluster.transport.TestCertificates;
import io.inlet.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Ratis servers on loopback gRPC, one data dir each: replication, leader loss, a minority
 * alone, catch-up through a snapshot, compare-and-set across nodes.
 */
class ReplicatedMetadataIT {
  private static final Duration CONVERGE = LocalMetadataGroup.CONVERGE;
  private static final Pattern SEGMENT = Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?");

  @TempDir Path dir;
  private LocalMetadataGroup group;
  private UnaryOperator<MetadataSettings> tuning = UnaryOperator.identity();
  private final Map<Integer, ClusterTls> tlsOf = new HashMap<>();

  @AfterEach
  void closeAll() throws IOException {
    if (group != null) {
      group.close();
    }
  }

  /** Ratis would end the JVM here (System.exit); the node must get an error it can report. */
  @Test
  void a_raft_port_in_use_fails_the_start_with_an_error_and_the_process_lives_on()
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      MetadataSettings settings =
          MetadataSettings.of(
              "it",
              1,
              List.of(new MetadataPeer(1, new HostPort("127.0.0.1", taken.getLocalPort()))),
              dir.resolve("taken"));
      assertThatThrownBy(() -> ReplicatedMetadata.start(settings))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot start the metadata Raft server of node 1")
          .hasMessageContaining(Integer.toString(taken.getLocalPort()));
    }
  }

  @Test
  void a_write_on_a_follower_is_read_on_every_node_and_heard_by_listeners() throws Exception {
    startGroup(3);
    int leader = awaitLeader();
    int follower = otherThan(leader);
    List<MetadataChange> heard = new CopyOnWriteArrayList<>();
    node(3).addListener(heard::add);

    long version =
        node(follower).write(MetadataWrite.create("streams", "s1", bytes("spec"))).join();

    for (ReplicatedMetadata node : group.running().values()) {
      assertThat(node.get("streams", "s1", ReadMode.LINEARIZABLE).join())
          .contains(new MetadataEntry(bytes("spec"), version));
    }
    Await.until(
        () -> "node 3's listener hears s1: " + heard,
        CONVERGE,
        () -> heard.stream().anyMatch(c -> c.puts().containsKey("s1")));
    assertThat(heard.get(heard.size() - 1).index()).isEqualTo(version);

    ReplicatedMetadata client = start(9);
    assertThat(client.isVoter()).isFalse();
    long second = client.write(MetadataWrite.put("streams", "s2", bytes("b"))).join();
    assertThat(client.list("streams", ReadMode.LOCAL).join()).containsOnlyKeys("s1", "s2");
    Await.until(
        "node 3's own replica has s2",
        CONVERGE,
        () -> node(3).get("streams", "s2", ReadMode.LOCAL).join().isPresent());
    assertThat(node(3).get("streams", "s2", ReadMode.LOCAL).join().orElseThrow().version())
        .isEqualTo(second);
    assertThatThrownBy(() -> client.addListener(c -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not one of the metadata nodes");
  }

  @Test
  void writes_resume_after_the_leader_is_closed_and_it_catches_up_when_back() throws Exception {
    startGroup(3);
    int leader = awaitLeader();
    int survivor = otherThan(leader);
    node(survivor).write(MetadataWrite.put("rules", "before", bytes("1"))).join();

    stop(leader);
    long closedAt = System.nanoTime();
    node(survivor).write(MetadataWrite.put("rules", "after", bytes("2"))).join();
    long resumedMs = (System.nanoTime() - closedAt) / 1_000_000;
    System.out.printf(
        "metadata: a write was committed %d ms after the leader (node %d) was closed%n",
        resumedMs, leader);

    for (ReplicatedMetadata node : group.running().values()) {
      assertThat(node.list("rules", ReadMode.LINEARIZABLE).join())
          .containsOnlyKeys("before", "after");
    }
    assertThat(awaitLeader()).isNotEqualTo(leader);

    start(leader);
    Await.until(
        "the old leader applies the write it missed",
        CONVERGE,
        () -> node(leader).get("rules", "after", ReadMode.LOCAL).join().isPresent());
  }

  @Test
  void a_minority_alone_acknowledges_no_write_and_a_majority_again_does() throws Exception {
    tuning = s -> s.withRequestTimeout(Duration.ofSeconds(3));
    startGroup(3);
    awaitLeader();
    node(1).write(MetadataWrite.put("rules", "r1", bytes("1"))).join();
    Await.until(
        "node 1 applied r1",
        CONVERGE,
        () -> node(1).get("rules", "r1", ReadMode.LOCAL).join().isPresent());
    stop(2);
    stop(3);

    CompletableFuture<Long> write = node(1).write(MetadataWrite.put("rules", "r2", bytes("2")));
    assertThatThrownBy(write::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(MetadataUnavailableException.class)
        .hasMessageContaining("no leader backed by a majority");
    assertThatThrownBy(() -> node(1).get("rules", "r1", ReadMode.LINEARIZABLE).join())
        .hasCauseInstanceOf(MetadataUnavailableException.class);
    assertThat(node(1).get("rules", "r1", ReadMode.LOCAL).join()).isPresent();

    start(2);
    // Through node 1 itself: the writes that failed there must not leave its client unusable
    // (Ratis' ordered stream stays closed once a request runs out of retries).
    Await.until(
        "a write through node 1 commits once a majority is back",
        CONVERGE,
        () -> committed(node(1).write(MetadataWrite.put("rules", "r3", bytes("3")))));
    Await.until(
        "node 2 applies r3",
        CONVERGE,
        () -> node(2).get("rules", "r3", ReadMode.LOCAL).join().isPresent());
    node(2).write(MetadataWrite.put("rules", "r4", bytes("4"))).join();
  }

  @Test
  void a_peer_that_missed_writes_catches_up_through_a_snapshot_once_the_log_was_purged()
      throws Exception {
    tuning = s -> s.withSnapshots(5, 1024);
    startGroup(3);
    int leader = awaitLeader();
    int lagging = otherThan(leader);
    long lastSeen = node(leader).write(MetadataWrite.put("streams", "seen", bytes("x"))).join();
    stop(lagging);

    for (int i = 0; i < 60; i++) {
      node(leader).write(MetadataWrite.put("streams", "s" + i, bytes("spec " + i))).join();
    }
    Await.until(
        () -> "the leader's log no longer holds index " + (lastSeen + 1) + ": " + logStarts(leader),
        CONVERGE,
        () -> logStarts(leader).stream().allMatch(start -> start > lastSeen + 1));

    start(lagging);
    Await.until(
        "the restarted peer holds every stream",
        CONVERGE,
        () -> node(lagging).list("streams", ReadMode.LOCAL).join().size() == 61);
    assertThat(node(lagging).list("streams", ReadMode.LOCAL).join())
        .isEqualTo(node(leader).list("streams", ReadMode.LINEARIZABLE).join());
  }

  @Test
  void concurrent_creates_of_one_key_from_two_nodes_let_exactly_one_win() throws Exception {
    startGroup(3);
    awaitLeader();

    CompletableFuture<Long> a = node(1).write(MetadataWrite.create("streams", "s", bytes("a")));
    CompletableFuture<Long> b = node(2).write(MetadataWrite.create("streams", "s", bytes("b")));
    List<Long> won = new ArrayList<>();
    List<VersionConflictException> lost = new ArrayList<>();
    for (CompletableFuture<Long> f : List.of(a, b)) {
      try {
        won.add(f.join());
      } catch (CompletionException e) {
        lost.add((VersionConflictException) e.getCause());
      }
    }

    assertThat(won).hasSize(1);
    assertThat(lost).hasSize(1);
    assertThat(lost.get(0).actualVersion()).isEqualTo(won.get(0));
    MetadataEntry stored = node(3).get("streams", "s", ReadMode.LINEARIZABLE).join().orElseThrow();
    assertThat(stored.version()).isEqualTo(won.get(0));

    long replaced =
        node(3)
            .write(MetadataWrite.in("streams").put("s", bytes("c"), stored.version()).build())
            .join();
    assertThatThrownBy(
            () ->
                node(1)
                    .write(
                        MetadataWrite.in("streams").put("s", bytes("d"), stored.version()).build())
                    .join())
        .hasCauseInstanceOf(VersionConflictException.class);
    assertThat(node(1).get("streams", "s", ReadMode.LINEARIZABLE).join().orElseThrow())
        .isEqualTo(new MetadataEntry(bytes("c"), replaced));
  }

  @Test
  void five_voters_keep_writing_with_the_leader_and_another_down() throws Exception {
    startGroup(5);
    int leader = awaitLeader();
    int other = otherThan(leader);
    node(other).write(MetadataWrite.put("rules", "a", bytes("1"))).join();
    stop(leader);
    stop(other);

    int writer = otherThan(leader, other);
    node(writer).write(MetadataWrite.put("rules", "b", bytes("2"))).join();
    for (ReplicatedMetadata node : group.running().values()) {
      assertThat(node.list("rules", ReadMode.LINEARIZABLE).join()).containsOnlyKeys("a", "b");
    }
  }

  @Test
  void over_mutual_tls_only_nodes_with_the_clusters_certificates_take_part() throws Exception {
    TestCertificates cluster = TestCertificates.newCa(dir.resolve("certs"), "cluster-ca");
    TestCertificates stranger = TestCertificates.newCa(dir.resolve("other"), "stranger-ca");
    for (int id = 1; id <= 3; id++) {
      tlsOf.put(id, cluster.node("node-" + id, "IP:127.0.0.1"));
    }
    tlsOf.put(8, cluster.node("client-8", "IP:127.0.0.1"));
    tlsOf.put(9, stranger.node("client-9", "IP:127.0.0.1"));
    tuning = s -> s.withRequestTimeout(Duration.ofSeconds(3));
    startGroup(3);
    awaitLeader();

    long version = node(1).write(MetadataWrite.put("users", "u1", bytes("a"))).join();
    assertThat(node(3).get("users", "u1", ReadMode.LINEARIZABLE).join())
        .contains(new MetadataEntry(bytes("a"), version));
    assertThat(start(8).write(MetadataWrite.put("users", "u2", bytes("b"))).join())
        .isGreaterThan(version);

    ReplicatedMetadata foreign = start(9);
    assertThatThrownBy(() -> foreign.write(MetadataWrite.put("users", "u3", bytes("c"))).join())
        .hasCauseInstanceOf(MetadataUnavailableException.class);
    ReplicatedMetadata plain = start(7); // no certificate at all: plain gRPC
    assertThatThrownBy(() -> plain.get("users", "u1", ReadMode.LINEARIZABLE).join())
        .hasCauseInstanceOf(MetadataUnavailableException.class);
    assertThat(node(2).list("users", ReadMode.LINEARIZABLE).join()).containsOnlyKeys("u1", "u2");
  }

  private static boolean committed(CompletableFuture<Long> write) {
    try {
      write.join();
      return true;
    } catch (CompletionException e) {
      if (e.getCause() instanceof MetadataUnavailableException) {
        return false;
      }
      throw e;
    }
  }

  private void startGroup(int size) throws IOException {
    group = LocalMetadataGroup.of(dir, size).tuning(tuning);
    tlsOf.forEach(group::tls);
    group.startAll();
  }

  private ReplicatedMetadata start(int id) throws IOException {
    return group.start(id);
  }

  private void stop(int id) throws IOException {
    group.stop(id);
  }

  private ReplicatedMetadata node(int id) {
    return group.node(id);
  }

  private int awaitLeader() {
    return group.awaitLeader();
  }

  private int otherThan(int... excluded) {
    return group.otherThan(excluded);
  }

  /** First indexes of the log segments a voter still holds on disk. */
  private List<Long> logStarts(int id) {
    try (Stream<Path> files = Files.walk(group.dataDir(id))) {
      return files
          .map(p -> SEGMENT.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Long.parseLong(m.group(1)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
