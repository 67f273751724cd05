package io.inlet.server.cluster;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.NodeState;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.ServerNodeStatus;
import io.inlet.cluster.placement.RendezvousPlacement;
import io.inlet.server.grpc.ClusterMembers;
import io.inlet.server.grpc.LocalNode;
import io.inlet.server.grpc.ShardLocator;
import java.util.List;
import java.util.Optional;

/**
 * Which node holds which shard, and where to dial it. A new shard's replicas are its rendezvous
 * placement over the members running when the stream is created ({@link RendezvousPlacement}):
 * min(replication factor, running members) of them, kept in the replicated catalog. A replicated
 * shard's replicas move later (a replica gone for good is replaced, a node that joins takes its
 * share: {@link ShardLeadership}); a shard with one replica stays on its owner, which serves it. A
 * shard with more is served by its current leader ({@link ShardLeadership}). Addresses come from
 * the membership (gossip), so a restarted node is found at its new address.
 */
public final class ShardOwners implements ShardLocator {
  private final LocalNode self;
  private final ClusterMembers members;
  private final StreamDirectory directory;
  private final ShardLeadership leadership;

  ShardOwners(
      LocalNode self,
      ClusterMembers members,
      StreamDirectory directory,
      ShardLeadership leadership) {
    this.self = self;
    this.members = members;
    this.directory = directory;
    this.leadership = leadership;
  }

  int selfId() {
    return self.id();
  }

  /**
   * The replicas a new shard gets, first-ranked first: its rendezvous placement over the running
   * members, as many as the replication factor asks and the running members allow.
   */
  List<Integer> place(long shardId, int replicationFactor) {
    List<Integer> running =
        members.statuses().stream()
            .filter(s -> s.getState() == NodeState.Running)
            .map(s -> s.getNode().getId())
            .toList();
    return RendezvousPlacement.place(
            shardId,
            Math.max(1, replicationFactor),
            running.isEmpty() ? List.of(self.id()) : running)
        .replicas();
  }

  /**
   * The node serving a shard of {@code stream}: its owner, or for a replicated shard its leader.
   *
   * @throws StoreUnavailableException when that node is not running, or a replicated shard has no
   *     leader now
   */
  int servingNode(PlacedStream stream, long shardId) {
    if (!stream.isReplicated(shardId)) {
      return stream.ownerOf(shardId);
    }
    return leadership.leaderOf(shardId).orElseThrow(() -> leaderless(stream.name(), shardId));
  }

  /** The node {@code nodeId} when it is a running member, as clients dial it. */
  Optional<ServerNode> running(int nodeId) {
    if (nodeId == self.id()) {
      return Optional.of(self.toServerNode());
    }
    return members.statuses().stream()
        .filter(s -> s.getNode().getId() == nodeId && s.getState() == NodeState.Running)
        .map(ServerNodeStatus::getNode)
        .findFirst();
  }

  /**
   * The shard's owner as clients dial it; this node for a shard no stream has (the call that
   * follows reports it, as HStreamDB does).
   *
   * @throws StoreUnavailableException when the owner is not a running member
   */
  @Override
  public ServerNode ownerOf(long shardId) {
    Optional<PlacedStream> stream = directory.byShard(shardId);
    if (stream.isEmpty()) {
      return self.toServerNode();
    }
    return servingServer(stream.get(), shardId, servingNode(stream.get(), shardId));
  }

  /**
   * Node {@code serving}, which serves the shard, as clients dial it.
   *
   * @throws StoreUnavailableException when it is not a running member: the owner of a shard with
   *     one replica is down, or a replicated shard's leader is gone and a new one is being chosen
   */
  ServerNode servingServer(PlacedStream stream, long shardId, int serving) {
    return running(serving)
        .orElseThrow(
            () ->
                stream.isReplicated(shardId)
                    ? leaderless(stream.name(), shardId)
                    : ownerDown(stream.name(), shardId, serving));
  }

  static StoreUnavailableException leaderless(String streamName, long shardId) {
    return new StoreUnavailableException(
        "shard "
            + shardId
            + " of stream \""
            + streamName
            + "\" has no running leader: a new leader is being chosen among its replicas, retry");
  }

  static StoreUnavailableException ownerDown(String streamName, long shardId, int owner) {
    return new StoreUnavailableException(
        "shard "
            + shardId
            + " of stream \""
            + streamName
            + "\" is held by node "
            + owner
            + ", which is not running; with replication factor 1 a shard is unavailable while"
            + " the node that holds it is down");
  }
}
