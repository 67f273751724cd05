package io.inlet.cluster;

import io.inlet.cluster.transport.TlsTransportFactory;
import io.scalecube.cluster.Cluster;
import io.scalecube.cluster.ClusterConfig;
import io.scalecube.cluster.ClusterImpl;
import io.scalecube.cluster.ClusterMessageHandler;
import io.scalecube.cluster.membership.MembershipEvent;
import io.scalecube.cluster.transport.api.TransportFactory;
import io.scalecube.transport.netty.tcp.TcpTransportFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's place in a SWIM cluster (scalecube): it joins through the seeds, gossips its {@link
 * NodeInfo}, and keeps a table of every member it has seen, by node id.
 *
 * <p>Failure detection is SWIM's: a member that stops answering probes is suspected, then removed
 * after the suspicion timeout, and listed as DEAD from then on. A member that comes back under the
 * same node id replaces its entry, whatever the order in which its return and its old incarnation's
 * departure are reported ({@link MemberTable}).
 */
public final class Membership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Membership.class);
  private static final Duration METADATA_UPDATE_TIMEOUT = Duration.ofSeconds(10);

  private final NodeInfoCodec codec = new NodeInfoCodec();
  private final List<Consumer<MemberStatus>> listeners = new CopyOnWriteArrayList<>();
  private final MemberTable others;
  private final Clock clock;
  private volatile NodeInfo self;
  private volatile Cluster cluster;

  private Membership(NodeInfo self, Clock clock) {
    this.self = self;
    this.clock = clock;
    this.others = new MemberTable(clock);
  }

  /**
   * Starts gossip on the settings' port and joins through the seeds. Returns once this node
   * listens; the others learn of it within a few gossip rounds. With seeds that cannot be reached
   * the node starts alone and keeps trying them.
   */
  public static Membership join(ClusterSettings settings, NodeInfo self) {
    Membership membership = new Membership(self, Clock.systemUTC());
    membership.start(settings);
    return membership;
  }

  private void start(ClusterSettings settings) {
    ClusterSettings.Timings timings = settings.timings();
    List<String> seeds = settings.seeds().stream().map(HostPort::toString).toList();
    ClusterImpl starting =
        new ClusterImpl()
            .config(
                config -> {
                  // Each setter returns a changed copy.
                  ClusterConfig named =
                      config
                          .memberAlias("node-" + self.nodeId())
                          .metadata(self)
                          .metadataCodec(codec)
                          .externalHost(settings.advertisedHost());
                  return settings.gossipPort() == 0
                      ? named
                      : named.externalPort(settings.gossipPort());
                })
            .membership(
                config ->
                    config
                        .namespace(settings.clusterName())
                        .seedMembers(seeds)
                        .syncInterval(timings.syncIntervalMs())
                        .suspicionMult(timings.suspicionMultiplier()))
            .failureDetector(
                config ->
                    config
                        .pingInterval(timings.pingIntervalMs())
                        .pingTimeout(timings.pingTimeoutMs()))
            .transport(
                config ->
                    config.port(settings.gossipPort()).messageCodec(new AllowListMessageCodec()))
            .transportFactory(
                () ->
                    settings
                        .tls()
                        .<TransportFactory>map(TlsTransportFactory::new)
                        .orElseGet(TcpTransportFactory::new))
            .handler(started -> new EventHandler());
    cluster = starting.startAwait();
    log.info(
        "node {} gossips at {} in cluster '{}' (seeds {})",
        self.nodeId(),
        cluster.address(),
        settings.clusterName(),
        seeds.isEmpty() ? "none: first node" : seeds);
  }

  /** {@code host:port} other members reach this node's gossip at. */
  public String gossipAddress() {
    return cluster.address();
  }

  /** This node as it describes itself. */
  public NodeInfo self() {
    return self;
  }

  /** Every member this node knows of, itself included, by node id. */
  public List<MemberStatus> members() {
    List<MemberStatus> all = others.all();
    NodeInfo me = self;
    all.add(new MemberStatus(me, me.state(), clock.millis()));
    all.sort(Comparator.comparingInt(MemberStatus::nodeId));
    return all;
  }

  /** Calls {@code listener} (on a gossip thread) each time another member's status changes. */
  public void onChange(Consumer<MemberStatus> listener) {
    listeners.add(listener);
  }

  /** Tells the cluster this node is now in {@code state}; returns once the gossip carries it. */
  public void announce(NodeState state) {
    announce(self.in(state));
  }

  /** Tells the cluster what this node now is (same node id); returns once gossip carries it. */
  public void announce(NodeInfo updated) {
    if (updated.nodeId() != self.nodeId()) {
      throw new IllegalArgumentException(
          "node " + self.nodeId() + " cannot announce itself as node " + updated.nodeId());
    }
    self = updated;
    cluster.updateMetadata(updated).block(METADATA_UPDATE_TIMEOUT);
  }

  /** Leaves the cluster gracefully: the others list this node as DEAD within a few rounds. */
  @Override
  public void close() {
    Cluster running = cluster;
    if (running != null) {
      running.shutdown();
      running.onShutdown().block(METADATA_UPDATE_TIMEOUT);
    }
  }

  private boolean isSelf(NodeInfo info) {
    if (info.nodeId() != self.nodeId()) {
      return false;
    }
    log.error(
        "another member claims this node's id {} (at {}:{}); node ids must be unique",
        info.nodeId(),
        info.advertisedHost(),
        info.grpcPort());
    return true;
  }

  private void tell(MemberStatus status) {
    log.info("member {} is {} ({})", status.nodeId(), status.state(), status.info().grpcAddress());
    for (Consumer<MemberStatus> listener : listeners) {
      try {
        listener.accept(status);
      } catch (RuntimeException e) {
        log.warn("a membership listener failed on {}", status, e);
      }
    }
  }

  private final class EventHandler implements ClusterMessageHandler {
    @Override
    public void onMembershipEvent(MembershipEvent event) {
      NodeInfo info = infoOf(event);
      if (info == null) {
        log.warn("membership event without readable node metadata: {}", event);
        return;
      }
      if (isSelf(info)) {
        return;
      }
      String incarnation = event.member().id();
      Optional<MemberStatus> changed =
          switch (event.type()) {
            case ADDED, UPDATED -> others.present(incarnation, info);
            case LEAVING -> others.departing(incarnation, info, NodeState.UNAVAILABLE);
            case REMOVED -> others.departing(incarnation, info, NodeState.DEAD);
          };
      changed.ifPresent(Membership.this::tell);
    }

    private NodeInfo infoOf(MembershipEvent event) {
      try {
        NodeInfo info =
            event.newMetadata() != null
                ? codec.deserialize(event.newMetadata())
                : codec.deserialize(event.oldMetadata());
        if (info != null) {
          return info;
        }
      } catch (IllegalArgumentException e) {
        log.warn("unreadable metadata from {}: {}", event.member(), e.getMessage());
        return null;
      }
      return others.infoByAlias(event.member().alias()).orElse(null);
    }
  }
}
