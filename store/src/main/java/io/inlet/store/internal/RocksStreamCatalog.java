package io.inlet.store.internal;

import io.inlet.api.naming.ObjectNames;
import io.inlet.api.record.PartitionKeys;
import io.inlet.api.record.ShardKeyRanges;
import io.inlet.store.ShardInfo;
import io.inlet.store.StoreException;
import io.inlet.store.StreamCatalog;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Streams and shards, persisted in {@code meta} and cached in memory (reads never touch RocksDB).
 *
 * <p>Validation: names follow {@link ObjectNames}; {@code shardCount} is 1 to {@value
 * StreamSpec#MAX_SHARDS}; {@code replicationFactor} 0 means 1, and 1 to {@value
 * StreamSpec#MAX_REPLICATION_FACTOR} is stored as given (this single-node store keeps one copy
 * whatever it says). {@code backlogSeconds} is stored as given; a negative value is a uint32 of
 * 2^31 s or more off the wire (68 years) and, like 0, keeps records until trimmed. Shard ids come
 * from a persisted counter and are never reused.
 */
final class RocksStreamCatalog implements StreamCatalog {
  private final MetaStore meta;
  private final StoreGate gate;
  private final Object metaLock;
  private final ShardRegistry registry;
  private final GroupCommitWriter writer;
  private final StreamSubscriptions subscriptions;
  private final StreamEvents events;
  private final Clock clock;
  private final NavigableMap<String, StreamInfo> streams = new ConcurrentSkipListMap<>();
  private final Map<Long, ShardInfo> shards = new ConcurrentHashMap<>();
  private final Map<String, Routing> routings = new ConcurrentHashMap<>();

  RocksStreamCatalog(
      MetaStore meta,
      StoreGate gate,
      Object metaLock,
      ShardRegistry registry,
      GroupCommitWriter writer,
      StreamSubscriptions subscriptions,
      StreamEvents events,
      Clock clock) {
    this.meta = meta;
    this.gate = gate;
    this.metaLock = metaLock;
    this.registry = registry;
    this.writer = writer;
    this.subscriptions = subscriptions;
    this.events = events;
    this.clock = clock;
  }

  int count() {
    return streams.size();
  }

  /** Loads every stream from {@code meta}; returns them for shard recovery. */
  List<StreamInfo> load() {
    List<StreamInfo> loaded = new ArrayList<>();
    meta.forEach(
        MetaKeys.prefix(MetaKeys.STREAM), (key, value) -> loaded.add(MetaCodec.stream(value)));
    loaded.forEach(this::cache);
    return loaded;
  }

  private void cache(StreamInfo stream) {
    streams.put(stream.name(), stream);
    stream.shards().forEach(shard -> shards.put(shard.shardId(), shard));
  }

  @Override
  public StreamInfo create(StreamSpec spec) {
    StreamSpec checked = spec.checked();
    return gate.call(
        () ->
            create(
                checked.name(),
                checked.shardCount(),
                checked.replicationFactor(),
                checked.backlogSeconds()));
  }

  private StreamInfo create(String name, int shardCount, int replication, int backlogSeconds) {
    synchronized (metaLock) {
      if (streams.containsKey(name)) {
        throw new StoreException(
            StoreException.Reason.STREAM_EXISTS, "stream \"" + name + "\" already exists");
      }
      long firstId = nextShardId();
      List<ShardInfo> newShards = new ArrayList<>(shardCount);
      for (int i = 0; i < shardCount; i++) {
        newShards.add(
            new ShardInfo(
                firstId + i,
                name,
                PartitionKeys.rangeStart(i, shardCount),
                PartitionKeys.rangeEnd(i, shardCount)));
      }
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      return persist(
          new StreamInfo(name, replication, backlogSeconds, now, List.copyOf(newShards)),
          firstId + shardCount);
    }
  }

  @Override
  public StreamInfo adopt(StreamInfo given) {
    StoreErrors.requireValidName(
        "stream name", given.name(), StoreException.Reason.INVALID_STREAM_NAME);
    StreamSpec.checkShardCount(given.shards().size());
    while (true) {
      StreamInfo held = streams.get(given.name());
      if (held != null && held.shards().equals(given.shards())) {
        return held;
      }
      if (held != null) {
        delete(held.name(), true);
        continue;
      }
      StreamInfo adopted =
          gate.call(
              () -> {
                synchronized (metaLock) {
                  if (streams.containsKey(given.name())) {
                    return null; // adopted or created meanwhile: look again
                  }
                  for (ShardInfo shard : given.shards()) {
                    if (shards.containsKey(shard.shardId())) {
                      throw new IllegalStateException(
                          "shard "
                              + shard.shardId()
                              + " of stream \""
                              + given.name()
                              + "\" is held here by stream \""
                              + shards.get(shard.shardId()).streamName()
                              + "\"");
                    }
                  }
                  long maxId =
                      given.shards().stream().mapToLong(ShardInfo::shardId).max().orElseThrow();
                  return persist(given, Math.max(nextShardId(), maxId + 1));
                }
              });
      if (adopted != null) {
        return adopted;
      }
    }
  }

  /** Writes a new stream and the next shard id in one batch, then registers it. */
  private StreamInfo persist(StreamInfo stream, long nextShardId) {
    synchronized (metaLock) {
      String name = stream.name();
      List<ShardInfo> newShards = stream.shards();
      String what = "create stream \"" + name + "\"";
      StoreDatabase database = meta.database();
      try (WriteBatch batch = new WriteBatch()) {
        batch.put(database.meta(), MetaKeys.named(MetaKeys.STREAM, name), MetaCodec.stream(stream));
        batch.put(
            database.meta(),
            MetaKeys.named(MetaKeys.COUNTER, MetaKeys.NEXT_SHARD_ID),
            Bytes.ofLong(nextShardId));
        meta.write(batch, what);
      } catch (RocksDBException e) {
        throw StoreErrors.writeFailed(database.dir(), what, e);
      }
      for (ShardInfo shard : newShards) {
        registry.add(new ShardState(shard.shardId(), name, 1, 0, 0));
      }
      cache(stream);
      events.created(name);
      return stream;
    }
  }

  private long nextShardId() {
    byte[] value = meta.get(MetaKeys.named(MetaKeys.COUNTER, MetaKeys.NEXT_SHARD_ID));
    return value == null ? 1 : Bytes.getLong(value, 0);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs on the writer thread between two groups, so no append of the stream's shards can land
   * after its data was deleted; appends still queued fail with StreamNotFound, and so do readers
   * waiting on its shards. A forced delete leaves the stream's subscriptions in place: they read
   * nothing until deleted.
   */
  @Override
  public boolean delete(String name, boolean force) {
    return gate.call(
        () -> {
          synchronized (metaLock) {
            StreamInfo stream = streams.get(name);
            if (stream == null) {
              return false;
            }
            if (!force && subscriptions.any(name)) {
              throw new StoreException(
                  StoreException.Reason.STREAM_HAS_SUBSCRIPTIONS,
                  "stream \"" + name + "\" has subscriptions; delete them first or force");
            }
            writer.runExclusive(() -> deleteOnWriter(stream));
            streams.remove(name);
            routings.remove(name);
            for (ShardInfo shard : stream.shards()) {
              shards.remove(shard.shardId());
              ShardState state = registry.find(shard.shardId());
              registry.remove(shard.shardId());
              if (state != null) {
                state.waiters.failAll(StoreException.streamNotFound(name));
              }
            }
            events.deleted(stream);
            return true;
          }
        });
  }

  private Void deleteOnWriter(StreamInfo stream) {
    // Marked first, under each trim lock, so no trim writes a trim point after the delete.
    List<ShardState> states = new ArrayList<>();
    for (ShardInfo shard : stream.shards()) {
      ShardState state = registry.find(shard.shardId());
      if (state != null) {
        synchronized (state.trimLock) {
          state.markDeleted(true);
        }
        states.add(state);
      }
    }
    StoreDatabase database = meta.database();
    String what = "delete stream \"" + stream.name() + "\"";
    try (WriteBatch batch = new WriteBatch()) {
      // The marker forgets the shards first: a marker naming a shard no stream has means lost
      // metadata at the next open, never a delete that completed.
      writer.forgetShards(stream.shards().stream().map(ShardInfo::shardId).toList());
      for (ShardInfo shard : stream.shards()) {
        batch.deleteRange(
            database.data(),
            DataKeys.key(shard.shardId(), 0),
            DataKeys.key(shard.shardId(), DataKeys.END_LSN));
        batch.delete(database.meta(), MetaKeys.numbered(MetaKeys.TRIM_POINT, shard.shardId()));
      }
      batch.delete(database.meta(), MetaKeys.named(MetaKeys.STREAM, stream.name()));
      // Forced past subscriptions (or none): they move to the archive in the same write, so none
      // ever reads a new stream that gets this name.
      subscriptions.archive(stream.name(), batch);
      meta.write(batch, what);
    } catch (RocksDBException e) {
      states.forEach(state -> state.markDeleted(false));
      throw StoreErrors.writeFailed(database.dir(), what, e);
    } catch (RuntimeException e) {
      states.forEach(state -> state.markDeleted(false));
      throw e;
    }
    return null;
  }

  @Override
  public Optional<StreamInfo> get(String name) {
    return Optional.ofNullable(streams.get(name));
  }

  @Override
  public List<StreamInfo> list(String prefix) {
    String from = prefix == null ? "" : prefix;
    List<StreamInfo> result = new ArrayList<>();
    for (StreamInfo stream : streams.tailMap(from, true).values()) {
      if (!stream.name().startsWith(from)) {
        break;
      }
      result.add(stream);
    }
    return result;
  }

  @Override
  public Optional<ShardInfo> shard(long shardId) {
    return Optional.ofNullable(shards.get(shardId));
  }

  /** As the interface's, without walking the stream's shards. */
  @Override
  public ShardInfo shardOf(String streamName, long shardId) {
    if (streamName == null || !streams.containsKey(streamName)) {
      throw StoreException.streamNotFound(streamName);
    }
    ShardInfo shard = shards.get(shardId);
    if (shard == null || !shard.streamName().equals(streamName)) {
      throw StoreException.shardNotInStream(shardId, streamName);
    }
    return shard;
  }

  @Override
  public ShardInfo shardForKey(String streamName, String partitionKey) {
    StreamInfo stream = streams.get(streamName);
    if (stream == null) {
      throw StoreException.streamNotFound(streamName);
    }
    Routing routing = routings.get(streamName);
    if (routing == null || routing.stream() != stream) {
      routing = new Routing(stream, new ShardKeyRanges(startKeys(stream)));
      routings.put(streamName, routing);
    }
    return stream.shards().get(routing.ranges().indexOf(partitionKey));
  }

  private static List<BigInteger> startKeys(StreamInfo stream) {
    return stream.shards().stream().map(ShardInfo::startKey).toList();
  }

  /**
   * A stream's shard ranges as {@link #shardForKey} searches them, valid while the catalog holds
   * that same {@link StreamInfo} (a stream deleted and created again, or reloaded, is a new one).
   */
  private record Routing(StreamInfo stream, ShardKeyRanges ranges) {}
}
