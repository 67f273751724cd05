package io.inlet.server.cluster;

import io.inlet.api.hstream.ServerNode;
import io.inlet.cdc.ConnectorPlacement;
import io.inlet.cluster.placement.RendezvousPlacement;
import io.inlet.server.grpc.ConnectorLocator;
import java.util.List;
import java.util.Optional;

/**
 * Which node runs each connector of the cluster: the rendezvous choice over the running members,
 * keyed by a hash of the connector's name ({@link RendezvousPlacement}), so every node names the
 * same one without asking. When the owner stops running, the next node in the connector's order
 * takes it, from the offsets and positions saved in the replicated metadata; when a node joins, it
 * takes the connectors that rank it first.
 *
 * <p>Nodes learn of a member's start or death by gossip, a few seconds apart, so for that long two
 * nodes may both run a connector: a source then appends some changes twice, a sink writes some rows
 * twice (an upsert by key, so the table ends the same). Both are within the at-least-once delivery
 * connectors already give across a restart.
 */
public final class ConnectorOwners implements ConnectorPlacement, ConnectorLocator {
  private final int selfId;
  private final NodeMembership members;
  private final ShardOwners nodes;

  ConnectorOwners(int selfId, NodeMembership members, ShardOwners nodes) {
    this.selfId = selfId;
    this.members = members;
    this.nodes = nodes;
  }

  @Override
  public boolean runsHere(String name) {
    return owner(name) == selfId;
  }

  /** The owner as clients dial it (this node if the owner left a moment ago). */
  @Override
  public ServerNode ownerOf(String name) {
    return nodes.running(owner(name)).orElseGet(() -> nodes.running(selfId).orElseThrow());
  }

  int owner(String name) {
    return RendezvousPlacement.ownerOf(name, members.running());
  }

  int selfId() {
    return selfId;
  }

  /** The other running members, as clients dial them. */
  List<ServerNode> others() {
    return members.running().stream()
        .filter(id -> id != selfId)
        .sorted()
        .map(nodes::running)
        .flatMap(Optional::stream)
        .toList();
  }
}
