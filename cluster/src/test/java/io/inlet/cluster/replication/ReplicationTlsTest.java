package io.inlet.cluster.replication;

import static io.inlet.cluster.replication.LocalReplicas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.cluster.transport.ClusterTls;
import io.inlet.cluster.transport.TestCertificates;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shard replication over mutual TLS: replicas with the cluster's certificates replicate; one whose
 * certificate another CA signed takes no entry, so it cannot make up a majority.
 */
class ReplicationTlsTest {
  private static final long SHARD = 3;

  @TempDir Path dir;

  @Test
  void a_replica_with_a_foreign_certificate_counts_for_no_majority() throws Exception {
    TestCertificates cluster = TestCertificates.newCa(dir.resolve("ca"), "cluster-ca");
    TestCertificates stranger = TestCertificates.newCa(dir.resolve("other"), "stranger-ca");
    List<ClusterTls> tls =
        List.of(
            cluster.node("n0", "IP:127.0.0.1"),
            cluster.node("n1", "IP:127.0.0.1"),
            stranger.node("n2", "IP:127.0.0.1"));

    try (LocalReplicas replicas =
        new LocalReplicas(dir.resolve("log"), 3, i -> Optional.of(tls.get(i)))) {
      ShardLeader leader = replicas.lead(0, SHARD);
      CompletableFuture<Long> last = null;
      for (int i = 0; i < 20; i++) {
        last = leader.append(entry("a-" + i));
      }
      assertThat(last.join()).isEqualTo(20);
      assertThat(replicas.ids(1, SHARD)).hasSize(20);

      replicas.stop(1);
      List<CompletableFuture<Long>> waiting = new ArrayList<>();
      for (int i = 20; i < 25; i++) {
        waiting.add(leader.append(entry("a-" + i)));
      }
      Await.until(
          "the leader's own copy holds 25 entries",
          Duration.ofSeconds(60),
          () -> replicas.node(0).durableLsn(SHARD) == 25);
      Thread.sleep(2000); // time a plain follower would have taken to acknowledge them
      assertThat(waiting).noneMatch(CompletableFuture::isDone);
      assertThat(replicas.node(2).durableLsn(SHARD)).isZero();
    }
  }
}
