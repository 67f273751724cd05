package io.inlet.server.cluster;

import io.grpc.BindableService;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.replication.ReplicationNode;
import io.inlet.cluster.transport.ClusterTls;
import io.inlet.server.LocalStreamAppender;
import io.inlet.server.grpc.LocalNode;
import io.inlet.server.grpc.RpcGroup;
import io.inlet.server.net.TlsFiles;
import io.inlet.server.subscription.SubscriptionOwnership;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.StreamStore;
import java.time.Duration;
import java.util.Optional;

/**
 * Serving from any node, assembled when {@code metadata-nodes} is set: the node's store over the
 * replicated stream catalog ({@link #store}), the nodes lookups answer with ({@link #owners}: a
 * shard's owner, or its leader when it is replicated, {@link ShardLeadership}), and appends
 * forwarded there ({@link #forwarding}), the owners of subscriptions ({@link #subscriptionOwners}):
 * over TLS when the gRPC port speaks it ({@code grpcTls}, see {@link ForwardingTls}). Closing it
 * stops leading shards and following the catalog and closes the channels to other nodes; the local
 * store and the replication node are closed by their opener.
 */
public final class ClusterServing implements AutoCloseable {
  /**
   * How replicas are kept: how often retention runs on them, and how long a replica may be gone
   * from the membership before it is replaced.
   */
  public record ReplicaLifecycle(Duration retentionInterval, Duration replaceAfter) {}

  private final ReplicatedMetadata metadata;
  private final StreamDirectory directory;
  private final ShardLeadership leadership;
  private final ShardOwners owners;
  private final ClusterStreamStore store;
  private final OwnerChannels channels;
  private final ShardReadsService shardReads;
  private final ShardStatusService shardStatus;
  private final SubscriptionOwners subscriptionOwners;
  private final TaskOwners taskOwners;

  /**
   * @param replication this node's part of the replicated shard log (closed by its opener)
   * @param lifecycle how replicas are kept: retention's interval, when a replica is replaced
   */
  public ClusterServing(
      StreamStore local,
      ReplicatedMetadata metadata,
      ReplicationNode replication,
      LocalNode node,
      NodeMembership members,
      int maxMessageBytes,
      TlsFiles grpcTls,
      Optional<ClusterTls> clusterTls,
      ReplicaLifecycle lifecycle) {
    this.metadata = metadata;
    directory = new StreamDirectory(metadata);
    ShardTrims trims = new ShardTrims(metadata);
    LocalCopies copies = new LocalCopies(local, directory);
    leadership =
        new ShardLeadership(
            node.id(),
            replication,
            metadata,
            directory,
            members,
            new ReplicaHousekeeping(
                node.id(), replication, directory, trims, copies, lifecycle.retentionInterval()),
            new ReplicaSetKeeper(
                members, new ReplicaSetChanges(metadata, directory), lifecycle.replaceAfter()));
    owners = new ShardOwners(node, members, directory, leadership);
    directory.onDelete(
        name -> {
          copies.dropIfStale(name);
          leadership.lookNow();
        });
    channels = new OwnerChannels(maxMessageBytes, ForwardingTls.clientContext(grpcTls, clusterTls));
    ReplicatedSubscriptionCatalog subscriptions =
        new ReplicatedSubscriptionCatalog(metadata, directory);
    subscriptionOwners =
        new SubscriptionOwners(node.id(), metadata, subscriptions, members, owners);
    taskOwners = new TaskOwners(node.id(), members, owners);
    ReplicatedStreamCatalog streams =
        new ReplicatedStreamCatalog(metadata, directory, owners, copies, subscriptions);
    store =
        new ClusterStreamStore(
            local,
            streams,
            directory,
            copies,
            owners,
            new RemoteShardReads(channels),
            new ReplicatedShardLog(replication, leadership, node.id(), trims),
            subscriptions,
            new ReplicatedReaderCatalog(metadata, streams));
    shardReads = new ShardReadsService(store.held());
    shardStatus = new ShardStatusService(directory, owners, leadership, store.held(), channels);
    leadership.start();
  }

  /** The internal service other nodes read this node's shards through, on the gRPC port. */
  public BindableService shardReads() {
    return shardReads;
  }

  /** The internal service that says where a shard stands (leader, committed LSN, lag). */
  public BindableService shardStatus() {
    return shardStatus;
  }

  /**
   * The metadata every node shares (mapping rules, ...): kept by the replicated metadata, so what
   * one node writes every node reads.
   */
  public MetadataCatalog sharedMetadata() {
    return new ReplicatedMetadataCatalog(metadata);
  }

  /**
   * Runs {@code changed} whenever {@code namespace} of the shared metadata may have changed (after
   * each change on a metadata node; every few seconds on other nodes). Closing stops it.
   */
  public AutoCloseable watch(String namespace, Runnable changed) {
    return NamespaceWatch.start(metadata, namespace, changed);
  }

  /** The node's store: the cluster's streams, this node's records. */
  public StreamStore store() {
    return store;
  }

  public ShardOwners owners() {
    return owners;
  }

  /** Which node serves each subscription, and the owner's fenced checkpoint writes. */
  public SubscriptionOwnership subscriptionOwners() {
    return subscriptionOwners;
  }

  /** Which node runs each connector. */
  public TaskOwners taskOwners() {
    return taskOwners;
  }

  /** The connector methods of {@code local}, each answered by the node that runs the connector. */
  public RpcGroup connectorForwarding(RpcGroup local) {
    return new ConnectorForwarding(local, taskOwners, channels);
  }

  /**
   * The subscription methods of {@code local}, with what only a subscription's owner knows (its
   * consumers: ListConsumers, DeleteSubscription) answered by the owner.
   */
  public RpcGroup subscriptionForwarding(RpcGroup local) {
    return new SubscriptionForwarding(local, subscriptionOwners, owners.selfId(), channels);
  }

  /** Appends through this node, forwarded to each shard's owner; {@code local} for its own. */
  public ShardForwarding forwarding(LocalStreamAppender local) {
    return new ShardForwarding(local, directory, owners, channels);
  }

  @Override
  public void close() throws Exception {
    leadership.close();
    shardReads.close();
    channels.close();
    directory.close();
  }
}
