package io.inlet.server.cluster;

import io.inlet.api.hstream.ServerNode;
import io.inlet.cluster.metadata.MetadataEntry;
import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.metadata.VersionConflictException;
import io.inlet.cluster.placement.RendezvousPlacement;
import io.inlet.server.subscription.OwnedSubscription;
import io.inlet.server.subscription.SubscriptionMovedException;
import io.inlet.server.subscription.SubscriptionOwnership;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which node serves each subscription of the cluster. The owner is recorded in the subscription's
 * progress ({@link SubscriptionProgress}) by the node that takes it, when its first consumer
 * connects there; it stays the owner while it is a running member. A subscription without an owner,
 * or whose owner is not running, is served by the rendezvous choice over the running members
 * ({@link RendezvousPlacement}, keyed by a hash of the id), so every node names the same one; that
 * node takes it when a consumer connects, with a compare-and-set on the progress (of two nodes
 * taking it at once, one wins; the other answers with the winner).
 *
 * <p>The owner commits its checkpoints with a compare-and-set on the version it holds, so once
 * another node took the subscription (its owner was thought dead) or it was deleted, the old
 * owner's next write is refused and its consumers are ended ({@link SubscriptionMovedException}):
 * no checkpoint of a node that lost the subscription is written after the new owner read them.
 */
final class SubscriptionOwners implements SubscriptionOwnership {
  private final int selfId;
  private final ReplicatedMetadata metadata;
  private final ReplicatedSubscriptionCatalog catalog;
  private final NodeMembership members;
  private final ShardOwners nodes;

  SubscriptionOwners(
      int selfId,
      ReplicatedMetadata metadata,
      ReplicatedSubscriptionCatalog catalog,
      NodeMembership members,
      ShardOwners nodes) {
    this.selfId = selfId;
    this.metadata = metadata;
    this.catalog = catalog;
    this.members = members;
    this.nodes = nodes;
  }

  /**
   * The owner when it is running; else the node that would take it now (HStreamDB answers for an
   * unknown id too).
   */
  @Override
  public ServerNode ownerOf(String subscriptionId) {
    Optional<MetadataEntry> entry =
        catalog.read(ReplicatedSubscriptionCatalog.progressKey(subscriptionId));
    int owner =
        entry
            .map(e -> SubscriptionCodec.decodeProgress(e.value()).owner())
            .orElse(SubscriptionProgress.NO_OWNER);
    Set<Integer> running = members.running();
    int serving = running.contains(owner) ? owner : choice(subscriptionId, running);
    return nodes.running(serving).orElseGet(() -> nodes.running(selfId).orElseThrow());
  }

  @Override
  public OwnedSubscription take(String subscriptionId) {
    String key = ReplicatedSubscriptionCatalog.progressKey(subscriptionId);
    while (true) {
      MetadataEntry entry =
          catalog
              .read(key)
              .orElseThrow(() -> ReplicatedSubscriptionCatalog.notFound(subscriptionId));
      SubscriptionProgress progress = SubscriptionCodec.decodeProgress(entry.value());
      if (progress.owner() == selfId) {
        return new Held(subscriptionId, entry.version(), progress);
      }
      Set<Integer> running = members.running();
      int serving =
          running.contains(progress.owner()) ? progress.owner() : choice(subscriptionId, running);
      if (serving != selfId) {
        throw moved(subscriptionId, serving);
      }
      SubscriptionProgress mine = progress.ownedBy(selfId);
      try {
        long version =
            ReplicatedMetadataCatalog.await(
                metadata.write(
                    MetadataWrite.in(ReplicatedSubscriptionCatalog.NAMESPACE)
                        .put(key, SubscriptionCodec.encode(mine), entry.version())
                        .build()));
        return new Held(subscriptionId, version, mine);
      } catch (VersionConflictException takenMeanwhile) {
        // Another node took it, or it was committed or deleted: look again.
      }
    }
  }

  /** The running member that takes a subscription without a running owner. */
  static int choice(String subscriptionId, Set<Integer> running) {
    return RendezvousPlacement.ownerOf(subscriptionId, running);
  }

  private SubscriptionMovedException moved(String subscriptionId, int node) {
    String where =
        nodes.running(node).map(n -> " (" + n.getHost() + ":" + n.getPort() + ")").orElse("");
    return new SubscriptionMovedException(
        "subscription \""
            + subscriptionId
            + "\" is served by node "
            + node
            + where
            + ", not by this node "
            + selfId
            + "; look it up again (LookupSubscription) and connect there");
  }

  /**
   * This node's hold: the progress version it last wrote or read as owner. Called by one checkpoint
   * writer at a time.
   */
  private final class Held implements OwnedSubscription {
    private final String id;
    private final String key;
    private volatile long version;
    private volatile SubscriptionProgress progress;

    Held(String id, long version, SubscriptionProgress progress) {
      this.id = id;
      this.key = ReplicatedSubscriptionCatalog.progressKey(id);
      this.version = version;
      this.progress = progress;
    }

    @Override
    public Map<Long, Long> checkpoints() {
      return progress.checkpoints();
    }

    @Override
    public void commit(Map<Long, Long> prefixes) {
      // Kept before the write: a write that failed (no majority) goes out with the next one.
      progress = progress.with(prefixes);
      while (true) {
        try {
          version =
              ReplicatedMetadataCatalog.await(
                  metadata.write(
                      MetadataWrite.in(ReplicatedSubscriptionCatalog.NAMESPACE)
                          .put(key, SubscriptionCodec.encode(progress), version)
                          .build()));
          return;
        } catch (VersionConflictException changed) {
          // Still ours (a write of ours that timed out but committed, or checkpoints set through
          // the catalog): continue from it. Another owner, or deleted: this node lost it.
          Optional<MetadataEntry> now = catalog.read(key);
          SubscriptionProgress current =
              now.map(e -> SubscriptionCodec.decodeProgress(e.value())).orElse(null);
          if (current == null || current.owner() != selfId) {
            throw new SubscriptionMovedException(
                "subscription \""
                    + id
                    + "\" was "
                    + (current == null ? "deleted" : "taken over by node " + current.owner())
                    + "; this node "
                    + selfId
                    + " no longer serves it");
          }
          version = now.get().version();
          progress = current.with(progress.checkpoints());
        }
      }
    }

    @Override
    public boolean held() {
      return catalog
          .read(key)
          .map(e -> SubscriptionCodec.decodeProgress(e.value()).owner() == selfId)
          .orElse(false);
    }
  }
}
