package io.inlet.server.testing;

import io.inlet.api.append.AppendResult;
import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.naming.ObjectNames;
import io.inlet.api.record.PartitionKeys;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.ReaderCatalog;
import io.inlet.store.ReaderInfo;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-written in-memory {@link StreamStore} for tests of the RPC layer: same contracts as the
 * RocksDB store, nothing survives {@link #close()}. Retention runs only when {@link
 * #applyRetention()} is called.
 */
public final class MemoryStreamStore implements StreamStore {
  private final Map<String, StreamInfo> streams = new TreeMap<>();
  private final Map<Long, Shard> shards = new HashMap<>();
  private final Map<String, ReaderInfo> readers = new TreeMap<>();
  private final Map<String, SubscriptionInfo> subscriptions = new TreeMap<>();
  private final Map<String, Map<Long, Long>> checkpoints = new ConcurrentHashMap<>();
  private long nextShardId = 1000;
  private boolean closed;

  private static final class Shard {
    final TreeMap<Long, StoredBatch> batches = new TreeMap<>();
    final List<Map.Entry<Long, CompletableFuture<Void>>> waiters = new ArrayList<>();
    final String stream;
    long first = 1;
    long last = 0;

    Shard(String stream) {
      this.stream = stream;
    }
  }

  private synchronized Shard shardOrThrow(long shardId) {
    Shard s = shards.get(shardId);
    if (s == null) {
      throw new InletException(ErrorCode.StreamNotFound, "shard " + shardId + " not found");
    }
    return s;
  }

  /** Deletes batches older than their stream's backlog duration. */
  public synchronized void applyRetention() {
    long now = System.currentTimeMillis();
    for (Map.Entry<Long, Shard> e : shards.entrySet()) {
      StreamInfo info = streams.get(e.getValue().stream);
      if (info == null || info.backlogSeconds() == 0) {
        continue;
      }
      Shard s = e.getValue();
      while (!s.batches.isEmpty()
          && s.batches.firstEntry().getValue().appendTimeMs()
              < now - info.backlogSeconds() * 1000L) {
        s.first = s.batches.pollFirstEntry().getKey() + 1;
      }
    }
  }

  private final StreamCatalog streamCatalog =
      new StreamCatalog() {
        @Override
        public StreamInfo create(StreamSpec spec) {
          synchronized (MemoryStreamStore.this) {
            if (!spec.name().matches("[A-Za-z][A-Za-z0-9_.-]*")) {
              throw new InletException(
                  ErrorCode.StreamInvalidObjectIdentifier, "invalid name " + spec.name());
            }
            if (spec.shardCount() < 1) {
              throw new InletException(ErrorCode.StreamInvalidShardCount, "bad shard count");
            }
            if (streams.containsKey(spec.name())) {
              throw new InletException(
                  ErrorCode.StreamExists, "stream \"" + spec.name() + "\" exists");
            }
            List<ShardInfo> list = new ArrayList<>();
            for (int i = 0; i < spec.shardCount(); i++) {
              long id = nextShardId++;
              BigInteger start = PartitionKeys.rangeStart(i, spec.shardCount());
              BigInteger end = PartitionKeys.rangeEnd(i, spec.shardCount());
              list.add(new ShardInfo(id, spec.name(), start, end));
              shards.put(id, new Shard(spec.name()));
            }
            StreamInfo info =
                new StreamInfo(
                    spec.name(),
                    spec.replicationFactor(),
                    spec.backlogSeconds(),
                    Instant.now(),
                    List.copyOf(list));
            streams.put(spec.name(), info);
            return info;
          }
        }

        @Override
        public boolean delete(String name, boolean force) {
          synchronized (MemoryStreamStore.this) {
            StreamInfo info = streams.get(name);
            if (info == null) {
              return false;
            }
            boolean used =
                subscriptions.values().stream().anyMatch(s -> s.streamName().equals(name));
            if (used && !force) {
              throw new InletException(
                  ErrorCode.StreamFoundSubscription, "stream has subscriptions");
            }
            streams.remove(name);
            for (ShardInfo shard : info.shards()) {
              shards.remove(shard.shardId());
            }
            subscriptions.replaceAll(
                (id, s) ->
                    s.streamName().equals(name)
                        ? new SubscriptionInfo(
                            s.id(),
                            ObjectNames.ARCHIVED_STREAM,
                            s.ackTimeoutSeconds(),
                            s.maxUnackedRecords(),
                            s.startFromLatest(),
                            s.createdAt())
                        : s);
            return true;
          }
        }

        @Override
        public Optional<StreamInfo> get(String name) {
          synchronized (MemoryStreamStore.this) {
            return Optional.ofNullable(streams.get(name));
          }
        }

        @Override
        public List<StreamInfo> list(String prefix) {
          synchronized (MemoryStreamStore.this) {
            return streams.values().stream().filter(s -> s.name().startsWith(prefix)).toList();
          }
        }

        @Override
        public Optional<ShardInfo> shard(long shardId) {
          synchronized (MemoryStreamStore.this) {
            return streams.values().stream()
                .flatMap(s -> s.shards().stream())
                .filter(s -> s.shardId() == shardId)
                .findFirst();
          }
        }

        @Override
        public ShardInfo shardForKey(String streamName, String partitionKey) {
          StreamInfo info =
              get(streamName).orElseThrow(() -> InletException.streamNotFound(streamName));
          BigInteger hash = PartitionKeys.hash(partitionKey);
          for (ShardInfo shard : info.shards()) {
            if (hash.compareTo(shard.startKey()) >= 0 && hash.compareTo(shard.endKey()) <= 0) {
              return shard;
            }
          }
          throw new IllegalStateException("no shard owns " + hash);
        }
      };

  private final ShardLog log =
      new ShardLog() {
        @Override
        public CompletableFuture<AppendResult> append(
            String streamName, long shardId, BatchedRecord batch) {
          List<CompletableFuture<Void>> wake = new ArrayList<>();
          AppendResult result;
          synchronized (MemoryStreamStore.this) {
            if (closed) {
              return CompletableFuture.failedFuture(new StoreUnavailableException("closed"));
            }
            Shard s = shards.get(shardId);
            if (s == null || !s.stream.equals(streamName)) {
              return CompletableFuture.failedFuture(InletException.streamNotFound(streamName));
            }
            long lsn = ++s.last;
            s.batches.put(lsn, new StoredBatch(shardId, lsn, System.currentTimeMillis(), batch));
            s.waiters.removeIf(
                w -> {
                  if (w.getKey() < lsn) {
                    wake.add(w.getValue());
                    return true;
                  }
                  return false;
                });
            result = new AppendResult(streamName, shardId, lsn, batch.getBatchSize());
          }
          wake.forEach(f -> f.complete(null));
          return CompletableFuture.supplyAsync(() -> result);
        }

        @Override
        public List<StoredBatch> read(long shardId, long fromLsn, int maxBatches) {
          synchronized (MemoryStreamStore.this) {
            Shard s = shardOrThrow(shardId);
            return s.batches.tailMap(fromLsn, true).values().stream().limit(maxBatches).toList();
          }
        }

        @Override
        public ShardPosition position(long shardId) {
          synchronized (MemoryStreamStore.this) {
            Shard s = shardOrThrow(shardId);
            return new ShardPosition(s.first, s.last);
          }
        }

        @Override
        public long lsnAtOrAfter(long shardId, long timestampMs) {
          synchronized (MemoryStreamStore.this) {
            Shard s = shardOrThrow(shardId);
            for (StoredBatch b : s.batches.values()) {
              if (b.appendTimeMs() >= timestampMs) {
                return b.lsn();
              }
            }
            return s.last + 1;
          }
        }

        @Override
        public CompletableFuture<Void> awaitBeyond(long shardId, long lsn) {
          synchronized (MemoryStreamStore.this) {
            if (closed) {
              return CompletableFuture.failedFuture(new StoreUnavailableException("closed"));
            }
            Shard s = shardOrThrow(shardId);
            if (s.last > lsn) {
              return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            s.waiters.add(Map.entry(lsn, f));
            return f;
          }
        }

        @Override
        public void trimBefore(long shardId, long lsn) {
          synchronized (MemoryStreamStore.this) {
            Shard s = shardOrThrow(shardId);
            s.batches.headMap(lsn, false).clear();
            s.first = Math.max(s.first, lsn);
          }
        }
      };

  private final ReaderCatalog readerCatalog =
      new ReaderCatalog() {
        @Override
        public ReaderInfo create(ReaderInfo reader) {
          synchronized (MemoryStreamStore.this) {
            if (readers.putIfAbsent(reader.readerId(), reader) != null) {
              throw new InletException(ErrorCode.ShardReaderInvalidObjectIdentifier, "exists");
            }
            return reader;
          }
        }

        @Override
        public Optional<ReaderInfo> get(String readerId) {
          synchronized (MemoryStreamStore.this) {
            return Optional.ofNullable(readers.get(readerId));
          }
        }

        @Override
        public List<ReaderInfo> list() {
          synchronized (MemoryStreamStore.this) {
            return List.copyOf(readers.values());
          }
        }

        @Override
        public boolean delete(String readerId) {
          synchronized (MemoryStreamStore.this) {
            return readers.remove(readerId) != null;
          }
        }

        @Override
        public boolean savePosition(String readerId, long nextLsn, int nextIndex) {
          synchronized (MemoryStreamStore.this) {
            ReaderInfo r = readers.get(readerId);
            if (r == null) {
              return false;
            }
            readers.put(readerId, r.movedTo(nextLsn, nextIndex));
            return true;
          }
        }
      };

  private final SubscriptionCatalog subscriptionCatalog =
      new SubscriptionCatalog() {
        @Override
        public SubscriptionInfo create(SubscriptionInfo spec) {
          synchronized (MemoryStreamStore.this) {
            if (!streams.containsKey(spec.streamName())) {
              throw new InletException(
                  ErrorCode.SubscriptionCreationOnNonExistentStream, "no stream");
            }
            if (subscriptions.putIfAbsent(spec.id(), spec) != null) {
              throw new InletException(ErrorCode.SubscriptionExists, "exists");
            }
            return spec;
          }
        }

        @Override
        public Optional<SubscriptionInfo> get(String id) {
          synchronized (MemoryStreamStore.this) {
            return Optional.ofNullable(subscriptions.get(id));
          }
        }

        @Override
        public List<SubscriptionInfo> list(String prefix) {
          synchronized (MemoryStreamStore.this) {
            return subscriptions.values().stream().filter(s -> s.id().startsWith(prefix)).toList();
          }
        }

        @Override
        public List<SubscriptionInfo> forStream(String streamName) {
          synchronized (MemoryStreamStore.this) {
            return subscriptions.values().stream()
                .filter(s -> s.streamName().equals(streamName))
                .toList();
          }
        }

        @Override
        public boolean delete(String id) {
          synchronized (MemoryStreamStore.this) {
            checkpoints.remove(id);
            return subscriptions.remove(id) != null;
          }
        }

        @Override
        public Map<Long, Long> checkpoints(String id) {
          return Map.copyOf(checkpoints.getOrDefault(id, Map.of()));
        }

        @Override
        public void commit(String id, long shardId, long nextLsn) {
          checkpoints.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).put(shardId, nextLsn);
        }
      };

  @Override
  public StreamCatalog streams() {
    return streamCatalog;
  }

  @Override
  public ShardLog log() {
    return log;
  }

  @Override
  public SubscriptionCatalog subscriptions() {
    return subscriptionCatalog;
  }

  @Override
  public ReaderCatalog readers() {
    return readerCatalog;
  }

  @Override
  public MetadataCatalog metadata() {
    return metadataCatalog;
  }

  private final MetadataCatalog metadataCatalog =
      new MetadataCatalog() {
        private final Map<String, TreeMap<String, byte[]>> spaces = new HashMap<>();

        private TreeMap<String, byte[]> space(String namespace) {
          if (closed) {
            throw new StoreUnavailableException("store closed");
          }
          return spaces.computeIfAbsent(namespace, n -> new TreeMap<>());
        }

        @Override
        public void put(String namespace, String key, byte[] value) {
          synchronized (MemoryStreamStore.this) {
            space(namespace).put(key, value.clone());
          }
        }

        @Override
        public Optional<byte[]> get(String namespace, String key) {
          synchronized (MemoryStreamStore.this) {
            return Optional.ofNullable(space(namespace).get(key)).map(byte[]::clone);
          }
        }

        @Override
        public boolean delete(String namespace, String key) {
          synchronized (MemoryStreamStore.this) {
            return space(namespace).remove(key) != null;
          }
        }

        @Override
        public Map<String, byte[]> list(String namespace) {
          synchronized (MemoryStreamStore.this) {
            return java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(space(namespace)));
          }
        }

        @Override
        public void apply(String namespace, Map<String, byte[]> puts, Iterable<String> deletes) {
          synchronized (MemoryStreamStore.this) {
            TreeMap<String, byte[]> space = space(namespace);
            puts.forEach((k, v) -> space.put(k, v.clone()));
            deletes.forEach(space::remove);
          }
        }
      };

  @Override
  public void close() {
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Shard s : shards.values()) {
        s.waiters.forEach(w -> waiting.add(w.getValue()));
        s.waiters.clear();
      }
    }
    waiting.forEach(f -> f.completeExceptionally(new StoreUnavailableException("store closed")));
  }
}
