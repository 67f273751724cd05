package io.inlet.server.subscription;

import io.inlet.api.append.AppendResult;
import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.record.PartitionKeys;
import io.inlet.store.ReaderCatalog;
import io.inlet.store.ShardInfo;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoredBatch;
import io.inlet.store.StreamCatalog;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import io.inlet.store.StreamStore;
import io.inlet.store.SubscriptionCatalog;
import io.inlet.store.SubscriptionInfo;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory stand-in for the RocksDB store, for unit tests of the delivery logic: the same
 * contract, no durability. {@link Data} outlives a "close", so a test can reopen on it.
 */
final class FakeStreamStore implements StreamStore, StreamCatalog, ShardLog {

  /** Everything the fake keeps; share it between instances to simulate a restart. */
  static final class Data {
    final TreeMap<String, StreamInfo> streams = new TreeMap<>();
    final Map<Long, List<StoredBatch>> batches = new HashMap<>();
    final TreeMap<String, SubscriptionInfo> subscriptions = new TreeMap<>();
    final Map<String, Map<Long, Long>> checkpoints = new HashMap<>();
    long nextShardId = 1;
  }

  private final Data data;
  private final Subscriptions subscriptions = new Subscriptions();
  private final Map<Long, List<CompletableFuture<Void>>> waiters = new HashMap<>();
  private boolean closed;

  FakeStreamStore(Data data) {
    this.data = data;
  }

  FakeStreamStore() {
    this(new Data());
  }

  Data data() {
    return data;
  }

  @Override
  public StreamCatalog streams() {
    return this;
  }

  @Override
  public ShardLog log() {
    return this;
  }

  @Override
  public SubscriptionCatalog subscriptions() {
    return subscriptions;
  }

  @Override
  public ReaderCatalog readers() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    synchronized (this) {
      closed = true;
      waiters.values().forEach(pending::addAll);
      waiters.clear();
    }
    pending.forEach(f -> f.completeExceptionally(new StoreUnavailableException("store closed")));
  }

  // -------------------------------------------------------------------------- streams

  @Override
  public synchronized StreamInfo create(StreamSpec spec) {
    if (data.streams.containsKey(spec.name())) {
      throw new InletException(ErrorCode.StreamExists, "stream exists");
    }
    List<ShardInfo> shards = new ArrayList<>();
    for (int i = 0; i < spec.shardCount(); i++) {
      long id = data.nextShardId++;
      shards.add(
          new ShardInfo(
              id,
              spec.name(),
              PartitionKeys.rangeStart(i, spec.shardCount()),
              PartitionKeys.rangeEnd(i, spec.shardCount())));
      data.batches.put(id, new ArrayList<>());
    }
    StreamInfo info =
        new StreamInfo(
            spec.name(), spec.replicationFactor(), spec.backlogSeconds(), Instant.now(), shards);
    data.streams.put(spec.name(), info);
    return info;
  }

  @Override
  public synchronized boolean delete(String name, boolean force) {
    return data.streams.remove(name) != null;
  }

  @Override
  public synchronized Optional<StreamInfo> get(String name) {
    return Optional.ofNullable(data.streams.get(name));
  }

  @Override
  public synchronized List<StreamInfo> list(String prefix) {
    return data.streams.values().stream().filter(s -> s.name().startsWith(prefix)).toList();
  }

  @Override
  public synchronized Optional<ShardInfo> shard(long shardId) {
    return data.streams.values().stream()
        .flatMap(s -> s.shards().stream())
        .filter(s -> s.shardId() == shardId)
        .findFirst();
  }

  @Override
  public synchronized ShardInfo shardForKey(String streamName, String partitionKey) {
    StreamInfo stream = data.streams.get(streamName);
    if (stream == null) {
      throw InletException.streamNotFound(streamName);
    }
    BigInteger hash = PartitionKeys.hash(partitionKey);
    for (ShardInfo shard : stream.shards()) {
      if (hash.compareTo(shard.startKey()) >= 0 && hash.compareTo(shard.endKey()) <= 0) {
        return shard;
      }
    }
    throw new IllegalStateException("no shard for key");
  }

  // ---------------------------------------------------------------------------- log

  @Override
  public CompletableFuture<AppendResult> append(
      String streamName, long shardId, BatchedRecord batch) {
    List<CompletableFuture<Void>> wake;
    long lsn;
    synchronized (this) {
      List<StoredBatch> shard = data.batches.get(shardId);
      if (closed || shard == null) {
        return CompletableFuture.failedFuture(
            new InletException(ErrorCode.StreamNotFound, "no shard " + shardId));
      }
      lsn = shard.size() + 1;
      shard.add(new StoredBatch(shardId, lsn, System.currentTimeMillis(), batch));
      wake = waiters.remove(shardId);
    }
    if (wake != null) {
      wake.forEach(f -> f.complete(null));
    }
    return CompletableFuture.completedFuture(
        new AppendResult(streamName, shardId, lsn, batch.getBatchSize()));
  }

  @Override
  public synchronized List<StoredBatch> read(long shardId, long fromLsn, int maxBatches) {
    List<StoredBatch> shard = shardOrThrow(shardId);
    int from = (int) Math.max(0, fromLsn - 1);
    int to = Math.min(shard.size(), from + maxBatches);
    return from >= to ? List.of() : List.copyOf(shard.subList(from, to));
  }

  @Override
  public synchronized ShardPosition position(long shardId) {
    return new ShardPosition(1, shardOrThrow(shardId).size());
  }

  @Override
  public synchronized long lsnAtOrAfter(long shardId, long timestampMs) {
    throw new UnsupportedOperationException();
  }

  @Override
  public synchronized CompletableFuture<Void> awaitBeyond(long shardId, long lsn) {
    if (closed) {
      return CompletableFuture.failedFuture(new StoreUnavailableException("store closed"));
    }
    if (shardOrThrow(shardId).size() > lsn) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    waiters.computeIfAbsent(shardId, k -> new ArrayList<>()).add(f);
    return f;
  }

  @Override
  public void trimBefore(long shardId, long lsn) {
    throw new UnsupportedOperationException();
  }

  private List<StoredBatch> shardOrThrow(long shardId) {
    List<StoredBatch> shard = data.batches.get(shardId);
    if (shard == null) {
      throw new InletException(ErrorCode.StreamNotFound, "no shard " + shardId);
    }
    return shard;
  }

  /** Subscriptions; locks the store like the rest. */
  private final class Subscriptions implements SubscriptionCatalog {
    private final Object lock = FakeStreamStore.this;

    @Override
    public SubscriptionInfo create(SubscriptionInfo spec) {
      synchronized (lock) {
        if (!data.streams.containsKey(spec.streamName())) {
          throw new InletException(ErrorCode.SubscriptionCreationOnNonExistentStream, "no stream");
        }
        if (data.subscriptions.putIfAbsent(spec.id(), spec) != null) {
          throw new InletException(ErrorCode.SubscriptionExists, "exists");
        }
        return spec;
      }
    }

    @Override
    public Optional<SubscriptionInfo> get(String id) {
      synchronized (lock) {
        return Optional.ofNullable(data.subscriptions.get(id));
      }
    }

    @Override
    public List<SubscriptionInfo> list(String prefix) {
      synchronized (lock) {
        return data.subscriptions.values().stream().filter(s -> s.id().startsWith(prefix)).toList();
      }
    }

    @Override
    public List<SubscriptionInfo> forStream(String streamName) {
      synchronized (lock) {
        return data.subscriptions.values().stream()
            .filter(s -> s.streamName().equals(streamName))
            .toList();
      }
    }

    @Override
    public boolean delete(String id) {
      synchronized (lock) {
        data.checkpoints.remove(id);
        return data.subscriptions.remove(id) != null;
      }
    }

    @Override
    public Map<Long, Long> checkpoints(String id) {
      synchronized (lock) {
        return Map.copyOf(data.checkpoints.getOrDefault(id, Map.of()));
      }
    }

    @Override
    public void commit(String id, long shardId, long nextLsn) {
      synchronized (lock) {
        if (data.subscriptions.containsKey(id)) {
          data.checkpoints.computeIfAbsent(id, k -> new HashMap<>()).put(shardId, nextLsn);
        }
      }
    }
  }
}
