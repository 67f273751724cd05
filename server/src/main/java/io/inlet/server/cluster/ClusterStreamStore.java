package io.inlet.server.cluster;

import io.inlet.api.append.AppendResult;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.Entry;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.ReaderCatalog;
import io.inlet.store.ReaderInfo;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoredEntry;
import io.inlet.store.StreamCatalog;
import io.inlet.store.StreamStore;
import io.inlet.store.SubscriptionCatalog;
import io.inlet.store.SubscriptionInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's store when {@code metadata-nodes} is set: streams and shards are the cluster's ({@link
 * ReplicatedStreamCatalog}). A shard with one replica keeps its records in the local store of its
 * owner ({@link LocalCopies}); appends to a shard another node owns are refused here ({@link
 * ShardForwarding} sends them there first). A shard with more replicas is served by the replicated
 * shard log ({@link ReplicatedShardLog}). Subscriptions, readers and the other components' metadata
 * stay in the local store for now. Closing it closes the local store.
 */
public final class ClusterStreamStore implements StreamStore {
  private final StreamStore local;
  private final ReplicatedStreamCatalog streams;
  private final StreamDirectory directory;
  private final LocalCopies copies;
  private final int selfId;
  private final ShardLog log;
  private final ShardLog owned;
  private final ShardLog replicated;
  private final Map<Long, Boolean> replicatedShards = new ConcurrentHashMap<>();
  private final SubscriptionCatalog subscriptions;
  private final ReaderCatalog readers;

  ClusterStreamStore(
      StreamStore local,
      ReplicatedStreamCatalog streams,
      StreamDirectory directory,
      LocalCopies copies,
      ShardLog replicated,
      int selfId) {
    this.local = local;
    this.streams = streams;
    this.directory = directory;
    this.copies = copies;
    this.selfId = selfId;
    this.owned = new OwnedShardLog();
    this.replicated = replicated;
    this.log = new RoutedShardLog();
    this.subscriptions = new LocalSubscriptions();
    this.readers = new LocalReaders();
  }

  @Override
  public StreamCatalog streams() {
    return streams;
  }

  @Override
  public ShardLog log() {
    return log;
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
   * Whether a shard is kept on more than one node. A shard's replicas never change, so the answer
   * is kept once its stream is found.
   */
  private boolean isReplicated(long shardId) {
    Boolean known = replicatedShards.get(shardId);
    if (known != null) {
      return known;
    }
    return directory
        .byShard(shardId)
        .map(
            stream -> {
              boolean replicatedShard = stream.isReplicated(shardId);
              replicatedShards.put(shardId, replicatedShard);
              return replicatedShard;
            })
        .orElse(false);
  }

  /** Each shard to the log that keeps it: the replicated shard log or the owner's local store. */
  private final class RoutedShardLog implements ShardLog {
    private ShardLog of(long shardId) {
      return isReplicated(shardId) ? replicated : owned;
    }

    @Override
    public CompletableFuture<AppendResult> append(String streamName, long shardId, Entry entry) {
      ShardLog target;
      try {
        target =
            directory.get(streamName).map(s -> s.isReplicated(shardId)).orElse(false)
                ? replicated
                : owned;
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      return target.append(streamName, shardId, entry);
    }

    @Override
    public List<StoredEntry> read(long shardId, long fromLsn, int maxBatches) {
      return of(shardId).read(shardId, fromLsn, maxBatches);
    }

    @Override
    public ShardPosition position(long shardId) {
      return of(shardId).position(shardId);
    }

    @Override
    public long lsnAtOrAfter(long shardId, long timestampMs) {
      return of(shardId).lsnAtOrAfter(shardId, timestampMs);
    }

    @Override
    public CompletableFuture<Void> awaitBeyond(long shardId, long lsn) {
      try {
        return of(shardId).awaitBeyond(shardId, lsn);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void trimBefore(long shardId, long lsn) {
      of(shardId).trimBefore(shardId, lsn);
    }
  }

  /** The local shard log, on a copy of the cluster stream made on first use. */
  private final class OwnedShardLog implements ShardLog {
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

  /** The local subscriptions, on a copy of their cluster stream. */
  private final class LocalSubscriptions implements SubscriptionCatalog {
    @Override
    public SubscriptionInfo create(SubscriptionInfo spec) {
      copies.ensureStream(spec.streamName());
      return local.subscriptions().create(spec);
    }

    @Override
    public Optional<SubscriptionInfo> get(String id) {
      return local.subscriptions().get(id);
    }

    @Override
    public List<SubscriptionInfo> list(String prefix) {
      return local.subscriptions().list(prefix);
    }

    @Override
    public List<SubscriptionInfo> forStream(String streamName) {
      return local.subscriptions().forStream(streamName);
    }

    @Override
    public boolean delete(String id) {
      return local.subscriptions().delete(id);
    }

    @Override
    public Map<Long, Long> checkpoints(String id) {
      return local.subscriptions().checkpoints(id);
    }

    @Override
    public void commit(String id, long shardId, long nextLsn) {
      local.subscriptions().commit(id, shardId, nextLsn);
    }
  }

  /** The local shard readers, on a copy of their cluster stream. */
  private final class LocalReaders implements ReaderCatalog {
    @Override
    public ReaderInfo create(ReaderInfo reader) {
      copies.ensureStream(reader.streamName());
      return local.readers().create(reader);
    }

    @Override
    public Optional<ReaderInfo> get(String readerId) {
      return local.readers().get(readerId);
    }

    @Override
    public List<ReaderInfo> list() {
      return local.readers().list();
    }

    @Override
    public boolean delete(String readerId) {
      return local.readers().delete(readerId);
    }

    @Override
    public boolean savePosition(String readerId, long nextLsn, int nextIndex) {
      return local.readers().savePosition(readerId, nextLsn, nextIndex);
    }
  }
}
