package io.inlet.server.cluster;

import io.inlet.api.hstream.HStreamVersion;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.ServerNodeStatus;
import io.inlet.cluster.ClusterSettings;
import io.inlet.cluster.MemberStatus;
import io.inlet.cluster.Membership;
import io.inlet.cluster.NodeInfo;
import io.inlet.cluster.replication.Replica;
import io.inlet.server.grpc.ClusterMembers;
import io.inlet.server.grpc.LocalNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership as DescribeCluster reports it. Alone (no seeds) or until the node has
 * joined, the list is this node; once joined, every member SWIM knows, with its state. A joined
 * node that refuses writes (a full disk) gossips itself Unavailable until it writes again ({@link
 * #reportWritesRefused}), so that every node, itself included, places shard leaders, subscriptions,
 * connectors and queries on the others meanwhile.
 */
public final class NodeMembership implements ClusterMembers, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeMembership.class);

  private final LocalNode node;
  private final int replicationPort;
  private volatile Membership membership;

  public NodeMembership(LocalNode node) {
    this(node, 0);
  }

  /**
   * @param replicationPort the port of this node's shard replication service, gossiped to the
   *     others; 0 when it runs none
   */
  public NodeMembership(LocalNode node, int replicationPort) {
    this.node = node;
    this.replicationPort = replicationPort;
  }

  /**
   * Joins the cluster through the settings' seeds and announces this node as Running: call it when
   * the node serves. Returns once the gossip port listens.
   */
  public void join(ClusterSettings settings, int mqttPort) {
    NodeInfo self =
        new NodeInfo(
            node.id(),
            node.advertisedHost(),
            node.grpcPort(),
            Math.max(0, mqttPort),
            node.version(),
            io.inlet.cluster.NodeState.RUNNING,
            replicationPort);
    membership = Membership.join(settings, self);
  }

  /** {@code host:port} of this node's gossip, or null when it runs alone. */
  public String gossipAddress() {
    Membership m = membership;
    return m == null ? null : m.gossipAddress();
  }

  @Override
  public List<ServerNodeStatus> statuses() {
    Membership m = membership;
    if (m == null) {
      return ClusterMembers.single(node).statuses();
    }
    return m.members().stream().map(NodeMembership::status).toList();
  }

  /**
   * Gossips this node as Unavailable while {@code why} says why it refuses writes, and as Running
   * again once it is empty; a no-op before the node has joined, or when the state is already the
   * one gossiped. Called every second by {@link NodeAvailability}.
   */
  public synchronized void reportWritesRefused(Optional<String> why) {
    Membership m = membership;
    if (m == null) {
      return;
    }
    io.inlet.cluster.NodeState wanted =
        why.isPresent()
            ? io.inlet.cluster.NodeState.UNAVAILABLE
            : io.inlet.cluster.NodeState.RUNNING;
    if (m.self().state() == wanted) {
      return;
    }
    m.announce(wanted);
    if (why.isPresent()) {
      log.warn("this node is Unavailable to the cluster while it refuses writes: {}", why.get());
    } else {
      log.info("this node is Running again: it takes writes");
    }
  }

  /**
   * The ids of the running members, this node among them while it is Running (alone, or before it
   * has joined, just this node). When no member runs (every node refuses writes), just this node,
   * as for a node cut off from the others.
   */
  Set<Integer> running() {
    Set<Integer> running = new HashSet<>();
    for (ServerNodeStatus status : statuses()) {
      if (status.getState() == NodeState.Running) {
        running.add(status.getNode().getId());
      }
    }
    if (running.isEmpty()) {
      running.add(node.id());
    }
    return running;
  }

  /**
   * The shard replication address {@code nodeId} last gossiped (whatever its state now), or empty
   * when this node never heard of it or it runs no replication service.
   */
  Optional<Replica> replicationAddress(int nodeId) {
    if (nodeId == node.id()) {
      return replicationPort == 0
          ? Optional.empty()
          : Optional.of(
              new Replica(Integer.toString(nodeId), node.advertisedHost(), replicationPort));
    }
    Membership m = membership;
    if (m == null) {
      return Optional.empty();
    }
    return m.members().stream()
        .map(MemberStatus::info)
        .filter(info -> info.nodeId() == nodeId && info.replicationPort() > 0)
        .map(
            info ->
                new Replica(
                    Integer.toString(nodeId), info.advertisedHost(), info.replicationPort()))
        .findFirst();
  }

  /** Leaves the cluster: the other members list this node as Dead within a few gossip rounds. */
  @Override
  public void close() {
    Membership m = membership;
    if (m != null) {
      m.close();
    }
  }

  private static ServerNodeStatus status(MemberStatus member) {
    NodeInfo info = member.info();
    return ServerNodeStatus.newBuilder()
        .setNode(
            ServerNode.newBuilder()
                .setId(info.nodeId())
                .setHost(info.advertisedHost())
                .setPort(info.grpcPort())
                .setVersion(HStreamVersion.newBuilder().setVersion(info.version())))
        .setState(NodeState.forNumber(member.state().number()))
        .build();
  }
}
