package io.inlet.cluster.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.cluster.ClusterSettings;
import io.inlet.cluster.HostPort;
import io.inlet.cluster.Membership;
import io.inlet.cluster.NodeInfo;
import io.inlet.cluster.NodeState;
import io.inlet.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gossip over mutual TLS: nodes with certificates of the cluster's CA form a cluster; a node with a
 * certificate of another CA, or without TLS, is not admitted.
 */
class GossipTlsTest {
  private static final Duration CONVERGE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<Membership> started = new ArrayList<>();
  private TestCertificates cluster;

  @BeforeEach
  void certificates() throws Exception {
    cluster = TestCertificates.newCa(dir.resolve("cluster"), "cluster-ca");
  }

  @AfterEach
  void leave() {
    started.forEach(Membership::close);
  }

  @Test
  void nodesWithTheClustersCertificatesFormACluster() throws Exception {
    Membership first = start(1, List.of(), Optional.of(cluster.node("node-1", "IP:127.0.0.1")));
    HostPort seed = HostPort.parse(first.gossipAddress());
    Membership second =
        start(2, List.of(seed), Optional.of(cluster.node("node-2", "IP:127.0.0.1")));

    Await.until("the nodes see each other", CONVERGE, () -> bothSeeTwo(first, second));
  }

  @Test
  void aNodeWithAnotherCasCertificateOrWithoutTlsIsNotAdmitted() throws Exception {
    Membership first = start(1, List.of(), Optional.of(cluster.node("node-1", "IP:127.0.0.1")));
    HostPort seed = HostPort.parse(first.gossipAddress());
    Membership member =
        start(2, List.of(seed), Optional.of(cluster.node("node-2", "IP:127.0.0.1")));
    TestCertificates other = TestCertificates.newCa(dir.resolve("other"), "other-ca");
    Membership stranger =
        start(3, List.of(seed), Optional.of(other.node("node-3", "IP:127.0.0.1")));
    Membership plain = start(4, List.of(seed), Optional.empty());

    Await.until("the member joins", CONVERGE, () -> bothSeeTwo(first, member));
    Await.holds(
        "the stranger and the plain node stay out, alone",
        Duration.ofSeconds(5),
        () ->
            first.members().size() == 2
                && member.members().size() == 2
                && stranger.members().size() == 1
                && plain.members().size() == 1);
  }

  @Test
  void aCertificateThatDoesNotNameTheDialledAddressIsRefusedByTheDialler() throws Exception {
    Membership first =
        start(1, List.of(), Optional.of(cluster.node("node-1", "DNS:elsewhere.example")));
    HostPort seed = HostPort.parse(first.gossipAddress());
    Membership second =
        start(2, List.of(seed), Optional.of(cluster.node("node-2", "IP:127.0.0.1")));

    Await.holds(
        "node 2 dials 127.0.0.1 and refuses a certificate for elsewhere.example",
        Duration.ofSeconds(5),
        () -> second.members().size() == 1);
    assertThat(first.members()).hasSize(1);
  }

  @Test
  void unusableFilesAreReportedByName() throws Exception {
    ClusterTls good = cluster.node("node-1", "IP:127.0.0.1");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> new ClusterTls(missing, good.keyFile(), good.caFile()).serverContext())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read " + missing);
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
    assertThatThrownBy(() -> new ClusterTls(garbage, good.keyFile(), good.caFile()).clientContext())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(garbage.toString());
  }

  private static boolean bothSeeTwo(Membership a, Membership b) {
    return a.members().size() == 2 && b.members().size() == 2;
  }

  private Membership start(int nodeId, List<HostPort> seeds, Optional<ClusterTls> tls) {
    ClusterSettings settings =
        new ClusterSettings("plant", "127.0.0.1", 0, seeds, ClusterSettings.Timings.fast(), tls);
    NodeInfo self =
        new NodeInfo(nodeId, "127.0.0.1", 7000 + nodeId, 8000 + nodeId, "test", NodeState.RUNNING);
    Membership membership = Membership.join(settings, self);
    started.add(membership);
    return membership;
  }
}
