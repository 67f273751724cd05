package io.inlet.server.cluster;

import io.inlet.api.hstream.HStreamVersion;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.ServerNodeStatus;
import io.inlet.cluster.ClusterSettings;
import io.inlet.cluster.MemberStatus;
import io.inlet.cluster.Membership;
import io.inlet.cluster.NodeInfo;
import io.inlet.server.grpc.ClusterMembers;
import io.inlet.server.grpc.LocalNode;
import java.util.List;

/**
 * This node's membership as DescribeCluster reports it. Alone (no seeds) or until the node has
 * joined, the list is this node; once joined, every member SWIM knows, with its state.
 */
public final class NodeMembership implements ClusterMembers, AutoCloseable {
  private final LocalNode node;
  private volatile Membership membership;

  public NodeMembership(LocalNode node) {
    this.node = node;
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
            io.inlet.cluster.NodeState.RUNNING);
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
