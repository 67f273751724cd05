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
 * Which node holds which shard, and where to dial it. A new shard's owner is its rendezvous leader
 * over the members running when the stream is created ({@link RendezvousPlacement}, replication
 * factor 1); it is then kept in the replicated catalog and never moves, since the shard's records
 * are on that node only. Addresses come from the membership (gossip), so a restarted owner is found
 * at its new address.
 */
public final class ShardOwners implements ShardLocator {
  private final LocalNode self;
  private final ClusterMembers members;
  private final StreamDirectory directory;

  ShardOwners(LocalNode self, ClusterMembers members, StreamDirectory directory) {
    this.self = self;
    this.members = members;
    this.directory = directory;
  }

  int selfId() {
    return self.id();
  }

  /** The owner a new shard gets: its rendezvous leader over the running members. */
  int choose(long shardId) {
    List<Integer> running =
        members.statuses().stream()
            .filter(s -> s.getState() == NodeState.Running)
            .map(s -> s.getNode().getId())
            .toList();
    return RendezvousPlacement.place(shardId, 1, running.isEmpty() ? List.of(self.id()) : running)
        .leader();
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
    int owner = stream.get().ownerOf(shardId);
    return running(owner).orElseThrow(() -> ownerDown(stream.get().name(), shardId, owner));
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
