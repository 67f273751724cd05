package io.inlet.server.cluster;

import io.inlet.api.append.AppendResult;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ServerNode;
import io.inlet.store.Entry;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.ReaderCatalog;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamCatalog;
import io.inlet.store.StreamStore;
import io.inlet.store.SubscriptionCatalog;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The node's store when {@code metadata-nodes} is set: streams and shards are the cluster's ({@link
 * ReplicatedStreamCatalog}). A shard with one replica keeps its records in the local store of its
 * owner ({@link LocalCopies}); appends to a shard another node owns are refused here ({@link
 * ShardForwarding} sends them there first); reads of it are served by the owner ({@link
 * RemoteShardReads}), so that readers and subscriptions on any node see every shard. A shard with
 * more replicas is kept by the replicated shard log ({@link ReplicatedShardLog}): a replica reads
 * its own copy, another node reads through the shard's leader. Subscriptions are the cluster's
 * ({@link ReplicatedSubscriptionCatalog}), and so are shard readers ({@link
 * ReplicatedReaderCatalog}); the other components' metadata stays in the local store of the node it
 * was written on. Closing it closes the local store.
 */
public final class ClusterStreamStore implements StreamStore {
  private final StreamStore local;
  private final ReplicatedStreamCatalog streams;
  private final StreamDirectory directory;
  private final LocalCopies copies;
  private final int selfId;
  private final ShardOwners owners;
  private final RemoteShardReads remote;

  private final ShardLog replicated;
  private final ShardLog ownedHere;
  private final ShardLog held;
  private final ShardLog log;
  private final SubscriptionCatalog subscriptions;
  private final ReaderCatalog readers;

  ClusterStreamStore(
      StreamStore local,
      ReplicatedStreamCatalog streams,
      StreamDirectory directory,
      LocalCopies copies,
      ShardOwners owners,
      RemoteShardReads remote,
      ShardLog replicated,
      SubscriptionCatalog subscriptions,
      ReaderCatalog readers) {
    this.local = local;
    this.streams = streams;
    this.directory = directory;
    this.copies = copies;
    this.selfId = owners.selfId();
    this.owners = owners;
    this.remote = remote;
    this.replicated = replicated;
    this.ownedHere = new HeldShardLog();
    this.held = new HereShardLog();
    this.log = new ServedShardLog();
    this.subscriptions = subscriptions;
    this.readers = readers;
  }

  @Override
  public StreamCatalog streams() {
    return streams;
  }

  @Override
  public ShardLog log() {
    return log;
  }

  /** The node's local store under the cluster's catalog. */
  StreamStore local() {
    return local;
  }

  /** The shards this node holds, read and appended here only (what other nodes read remotely). */
  ShardLog held() {
    return held;
  }

  @Override
  public SubscriptionCatalog subscriptions() {
    return subscriptions;
  }

  @Override
  public ReaderCatalog readers() {
    return readers;
  }

  @Override
  public MetadataCatalog metadata() {
    return local.metadata();
  }

  @Override
  public Optional<String> writesRefused() {
    return local.writesRefused();
  }

  @Override
  public void close() {
    local.close();
  }

  /**
   * The stream of a shard and its replicas, as {@link StreamDirectory#byShard} finds them: on a
   * metadata node as the catalog has them now (replica sets change when a replica is replaced,
   * added or moved); on another node as read at most {@link StreamDirectory#FETCHED_FOR} ago.
   */
  private Optional<ShardHome> home(long shardId) {
    return directory
        .byShard(shardId)
        .map(stream -> new ShardHome(stream, stream.replicasOf(shardId)));
  }

  /**
   * The node that serves reads of {@code shardId} when it is another one, as clients dial it: the
   * owner of a shard with one replica, the leader of a replicated shard this node has no replica
   * of; empty when this node reads it itself, and for a shard no stream has (the local store
   * reports those).
   *
   * @throws StoreUnavailableException when that node is not running, or a replicated shard has no
   *     leader now
   */
  private Optional<ServerNode> remoteOwner(long shardId) {
    Optional<ShardHome> found = home(shardId);
    if (found.isEmpty() || found.get().replicas().contains(selfId)) {
      return Optional.empty();
    }
    PlacedStream stream = found.get().stream();
    return Optional.of(owners.servingServer(stream, shardId, owners.servingNode(stream, shardId)));
  }

  /** The stream of a shard and the nodes that hold it. */
  private record ShardHome(PlacedStream stream, List<Integer> replicas) {}

  /** The log that keeps {@code shardId} on this node: its replica, or the local store. */
  private ShardLog here(long shardId) {
    boolean isReplicated = home(shardId).map(h -> h.stream().isReplicated(shardId)).orElse(false);
    return isReplicated ? replicated : ownedHere;
  }

  /** What this node holds: replicas of replicated shards, the local store for the others. */
  private final class HereShardLog implements ShardLog {
    @Override
    public CompletableFuture<AppendResult> append(String streamName, long shardId, Entry entry) {
      return directory
          .lookup(streamName)
          .thenCompose(
              stream -> {
                boolean isReplicated = stream.map(s -> s.isReplicated(shardId)).orElse(false);
                return (isReplicated ? replicated : ownedHere).append(streamName, shardId, entry);
              });
    }

    @Override
    public List<StoredEntry> read(long shardId, long fromLsn, int maxBatches) {
      return here(shardId).read(shardId, fromLsn, maxBatches);
    }

    @Override
    public ShardPosition position(long shardId) {
      return here(shardId).position(shardId);
    }

    @Override
    public long lsnAtOrAfter(long shardId, long timestampMs) {
      return here(shardId).lsnAtOrAfter(shardId, timestampMs);
    }

    @Override
    public CompletableFuture<Void> awaitBeyond(long shardId, long lsn) {
      try {
        return here(shardId).awaitBeyond(shardId, lsn);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void trimBefore(long shardId, long lsn) {
      here(shardId).trimBefore(shardId, lsn);
    }
  }

  /** Appends here (to shards this node owns); reads here or from the shard's owner. */
  private final class ServedShardLog implements ShardLog {
    @Override
    public CompletableFuture<AppendResult> append(String streamName, long shardId, Entry entry) {
      return held.append(streamName, shardId, entry);
    }

    @Override
    public List<StoredEntry> read(long shardId, long fromLsn, int maxBatches) {
      Optional<ServerNode> owner = remoteOwner(shardId);
      return owner.isEmpty()
          ? held.read(shardId, fromLsn, maxBatches)
          : remote.read(owner.get(), shardId, fromLsn, maxBatches);
    }

    @Override
    public ShardPosition position(long shardId) {
      Optional<ServerNode> owner = remoteOwner(shardId);
      return owner.isEmpty() ? held.position(shardId) : remote.position(owner.get(), shardId);
    }

    @Override
    public long lsnAtOrAfter(long shardId, long timestampMs) {
      Optional<ServerNode> owner = remoteOwner(shardId);
      return owner.isEmpty()
          ? held.lsnAtOrAfter(shardId, timestampMs)
          : remote.lsnAtOrAfter(owner.get(), shardId, timestampMs);
    }

    @Override
    public CompletableFuture<Void> awaitBeyond(long shardId, long lsn) {
      Optional<ServerNode> owner;
      try {
        owner = remoteOwner(shardId);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      return owner.isEmpty()
          ? held.awaitBeyond(shardId, lsn)
          : remote.awaitBeyond(owner.get(), shardId, lsn);
    }

    @Override
    public void trimBefore(long shardId, long lsn) {
      Optional<ServerNode> owner = remoteOwner(shardId);
      if (owner.isEmpty()) {
        held.trimBefore(shardId, lsn);
      } else {
        remote.trimBefore(owner.get(), shardId, lsn);
      }
    }
  }

  /** The local shard log, on a copy of the cluster stream made on first use. */
  private final class HeldShardLog implements ShardLog {
    @Override
    public CompletableFuture<AppendResult> append(String streamName, long shardId, Entry entry) {
      try {
        directory
            .get(streamName)
            .ifPresent(
                placed -> {
                  int owner = placed.ownerOf(shardId);
                  if (owner >= 0 && owner != selfId) {
                    throw new StoreUnavailableException(
                        "shard "
                            + shardId
                            + " of stream \""
                            + streamName
                            + "\" is held by node "
                            + owner
                            + ", not by this node "
                            + selfId);
                  }
                });
        copies.ensureShard(shardId);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      return local.log().append(streamName, shardId, entry);
    }

    @Override
    public List<StoredEntry> read(long shardId, long fromLsn, int maxBatches) {
      copies.ensureShard(shardId);
      return local.log().read(shardId, fromLsn, maxBatches);
    }

    @Override
    public ShardPosition position(long shardId) {
      copies.ensureShard(shardId);
      return local.log().position(shardId);
    }

    @Override
    public long lsnAtOrAfter(long shardId, long timestampMs) {
      copies.ensureShard(shardId);
      return local.log().lsnAtOrAfter(shardId, timestampMs);
    }

    @Override
    public CompletableFuture<Void> awaitBeyond(long shardId, long lsn) {
      try {
        copies.ensureShard(shardId);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      return local.log().awaitBeyond(shardId, lsn);
    }

    @Override
    public void trimBefore(long shardId, long lsn) {
      copies.ensureShard(shardId);
      local.log().trimBefore(shardId, lsn);
    }
  }
}
