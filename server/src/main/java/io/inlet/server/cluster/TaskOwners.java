package io.inlet.server.cluster;

import io.inlet.api.hstream.ServerNode;
import io.inlet.cdc.ConnectorPlacement;
import io.inlet.cluster.placement.RendezvousPlacement;
import io.inlet.server.grpc.TaskLocator;
import io.inlet.sql.engine.QueryPlacement;
import java.util.List;
import java.util.Optional;

/**
 * Which node runs each connector and each query of the cluster (HStreamDB's tasks): the rendezvous
 * choice over the running members, keyed by a hash of the task's name ({@link
 * RendezvousPlacement}), so every node names the same one without asking. When the owner stops
 * running, the next node in the task's order takes it: a connector from the offsets and positions
 * saved in the replicated metadata, a query from the newest checkpoint shared there; when a node
 * joins, it takes the tasks that rank it first.
 *
 * <p>Nodes learn of a member's start or death by gossip, a few seconds apart, so for that long two
 * nodes may both run a task: a source then appends some changes twice, a sink writes some rows
 * twice (an upsert by key, so the table ends the same), a query writes some results twice. All are
 * within the at-least-once delivery tasks already give across a restart.
 */
public final class TaskOwners implements ConnectorPlacement, TaskLocator, QueryPlacement {
  private final int selfId;
  private final NodeMembership members;
  private final ShardOwners nodes;

  TaskOwners(int selfId, NodeMembership members, ShardOwners nodes) {
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

  @Override
  public int ownerId(String name) {
    return owner(name);
  }

  @Override
  public boolean movable() {
    return true;
  }

  /** Three copies, or one per running node when fewer run. */
  @Override
  public int ownStreamsReplicationFactor() {
    return Math.max(1, Math.min(3, members.running().size()));
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
