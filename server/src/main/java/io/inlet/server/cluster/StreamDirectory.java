package io.inlet.server.cluster;

import io.inlet.cluster.metadata.MetadataChange;
import io.inlet.cluster.metadata.MetadataEntry;
import io.inlet.cluster.metadata.ReadMode;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.store.ShardInfo;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of the cluster's replicated catalog, as this node reads them.
 *
 * <p>On a metadata node (a voter) the streams are kept in memory and follow the group's changes in
 * log order, so a lookup on the append path costs no round trip; a name not found there is read
 * again linearizably (a stream another node just created may not be applied here yet). Each cached
 * entry carries the version (Raft index) that set it, and an older one never replaces a newer one,
 * deletes included. A node outside {@code metadata-nodes} has no replica to follow: it reads
 * linearizably, except that {@link #lookup}, {@link #get} and {@link #byShard} reuse a stream read
 * less than {@link #FETCHED_FOR} ago (so a stream deleted through another node may still take
 * appends there for that long, as a metadata node's may until it applies the delete). {@link
 * #current}, {@link #list} and {@link #catalog} always read linearizably.
 */
final class StreamDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamDirectory.class);

  static final String NAMESPACE = "cluster.streams";
  static final String STREAM_PREFIX = "stream:";
  static final String NEXT_SHARD_ID = "next-shard-id";

  /** A stream as last known, or a tombstone ({@code stream} null) with the delete's index. */
  private record Known(long version, PlacedStream stream) {}

  /** How long a node outside {@code metadata-nodes} appends on a stream as it last read it. */
  static final Duration FETCHED_FOR = Duration.ofSeconds(1);

  /** A stream as a node outside {@code metadata-nodes} last read it, and when. */
  private record Fetched(PlacedStream stream, long atNanos) {}

  private final ReplicatedMetadata metadata;
  private final boolean cached;
  private final long fetchedForNanos;
  private final Map<String, Fetched> fetched = new ConcurrentHashMap<>();
  private final Map<String, Known> byName = new ConcurrentHashMap<>();
  private final Map<Long, String> streamOfShard = new ConcurrentHashMap<>();
  private final AutoCloseable listening;
  private volatile Consumer<String> onDelete = name -> {};

  StreamDirectory(ReplicatedMetadata metadata) {
    this(metadata, FETCHED_FOR);
  }

  StreamDirectory(ReplicatedMetadata metadata, Duration fetchedFor) {
    this.metadata = metadata;
    this.cached = metadata.isVoter();
    this.fetchedForNanos = fetchedFor.toNanos();
    this.listening = cached ? metadata.addListener(this::apply) : () -> {};
  }

  /** True on a metadata node: lookups are answered from memory, following every change. */
  boolean followsChanges() {
    return cached;
  }

  /** Told the name of every stream deleted by any node (on a metadata node only). */
  void onDelete(Consumer<String> listener) {
    this.onDelete = listener;
  }

  static String key(String streamName) {
    return STREAM_PREFIX + streamName;
  }

  /** As {@link #lookup}, waiting for the answer: call it off network event loops. */
  Optional<PlacedStream> get(String name) {
    return ReplicatedMetadataCatalog.await(lookup(name));
  }

  /**
   * The stream named {@code name}: at once when this metadata node has it, else once a linearizable
   * read of the group answers (completed on the metadata client's thread). Fails with {@link
   * io.inlet.api.error.StoreUnavailableException} when the group cannot answer.
   */
  CompletableFuture<Optional<PlacedStream>> lookup(String name) {
    if (cached) {
      Known known = byName.get(name);
      if (known != null && known.stream() != null) {
        return CompletableFuture.completedFuture(Optional.of(known.stream()));
      }
    } else {
      Optional<PlacedStream> recent = fetchedRecently(name);
      if (recent.isPresent()) {
        return CompletableFuture.completedFuture(recent);
      }
    }
    return readOne(name);
  }

  /** The stream named {@code name} as a linearizable read of the group finds it, never cached. */
  Optional<PlacedStream> current(String name) {
    return ReplicatedMetadataCatalog.await(readOne(name));
  }

  private CompletableFuture<Optional<PlacedStream>> readOne(String name) {
    CompletableFuture<Optional<PlacedStream>> found = new CompletableFuture<>();
    metadata
        .get(NAMESPACE, key(name), ReadMode.LINEARIZABLE)
        .whenComplete(
            (entry, failure) -> {
              if (failure != null) {
                found.completeExceptionally(ReplicatedMetadataCatalog.storeFailure(failure));
                return;
              }
              try {
                Optional<PlacedStream> stream = entry.map(e -> PlacedStreamCodec.decode(e.value()));
                stream.ifPresent(placed -> remember(entry.get().version(), placed));
                if (!cached) {
                  stream.ifPresentOrElse(this::fetchedNow, () -> fetched.remove(name));
                }
                found.complete(stream);
              } catch (RuntimeException e) {
                found.completeExceptionally(e);
              }
            });
    return found;
  }

  /** The stream as this metadata node last applied it, without a round trip. */
  Optional<PlacedStream> cachedOrEmpty(String name) {
    Known known = byName.get(name);
    return known == null ? Optional.empty() : Optional.ofNullable(known.stream());
  }

  /** Streams whose name starts with {@code prefix}, ordered by name; always linearizable. */
  List<PlacedStream> list(String prefix) {
    return read(prefix).streams();
  }

  /**
   * The whole catalog as one linearizable read: every stream, and the next shard id the catalog
   * will give. A shard id below it that no stream has belonged to a deleted stream (ids are never
   * reused).
   */
  record Catalog(List<PlacedStream> streams, long nextShardId, Set<Long> shardIds) {
    Catalog(List<PlacedStream> streams, long nextShardId) {
      this(streams, nextShardId, shardIdsOf(streams));
    }

    private static Set<Long> shardIdsOf(List<PlacedStream> streams) {
      Set<Long> ids = new HashSet<>();
      for (PlacedStream stream : streams) {
        for (ShardInfo shard : stream.stream().shards()) {
          ids.add(shard.shardId());
        }
      }
      return ids;
    }

    /** True when {@code shardId} belonged to a stream deleted since: it is below the next id. */
    boolean deleted(long shardId) {
      return Long.compareUnsigned(shardId, nextShardId) < 0 && !shardIds.contains(shardId);
    }
  }

  Catalog catalog() {
    return read("");
  }

  private Catalog read(String prefix) {
    List<PlacedStream> streams = new ArrayList<>();
    Map<String, MetadataEntry> entries =
        ReplicatedMetadataCatalog.await(metadata.list(NAMESPACE, ReadMode.LINEARIZABLE));
    String from = STREAM_PREFIX + (prefix == null ? "" : prefix);
    entries.forEach(
        (key, entry) -> {
          if (key.startsWith(from)) {
            PlacedStream stream = PlacedStreamCodec.decode(entry.value());
            remember(entry.version(), stream);
            if (!cached) {
              fetchedNow(stream);
            }
            streams.add(stream);
          }
        });
    MetadataEntry counter = entries.get(NEXT_SHARD_ID);
    long next = counter == null ? 1 : ByteBuffer.wrap(counter.value()).getLong();
    return new Catalog(streams, next);
  }

  /**
   * The stream that has {@code shardId}, if any: as {@link #lookup} finds it when this node knows
   * which stream that is (a metadata node follows every change; another node keeps what it read for
   * {@link #FETCHED_FOR}), else from a linearizable read of the whole catalog.
   */
  Optional<PlacedStream> byShard(long shardId) {
    String name = streamOfShard.get(shardId);
    if (name != null) {
      Optional<PlacedStream> stream = cached ? get(name) : fetchedRecently(name);
      if (stream.isPresent() && stream.get().ownerOf(shardId) >= 0) {
        return stream;
      }
    }
    for (PlacedStream stream : list("")) {
      if (stream.ownerOf(shardId) >= 0) {
        return Optional.of(stream);
      }
    }
    return Optional.empty();
  }

  /** On a node outside {@code metadata-nodes}: the stream as read less than FETCHED_FOR ago. */
  private Optional<PlacedStream> fetchedRecently(String name) {
    Fetched recent = fetched.get(name);
    return recent != null && System.nanoTime() - recent.atNanos() < fetchedForNanos
        ? Optional.of(recent.stream())
        : Optional.empty();
  }

  private void fetchedNow(PlacedStream stream) {
    fetched.put(stream.name(), new Fetched(stream, System.nanoTime()));
    for (ShardInfo shard : stream.stream().shards()) {
      streamOfShard.put(shard.shardId(), stream.name());
    }
  }

  /** Records what a write of this node set, so that it reads it at once. */
  void remember(long version, PlacedStream stream) {
    if (cached) {
      merge(stream.name(), new Known(version, stream));
    }
  }

  /** Records a delete of this node's, so that it no longer finds the stream. */
  void forget(String name, long version) {
    if (cached) {
      merge(name, new Known(version, null));
    } else {
      fetched.remove(name);
    }
  }

  private void apply(MetadataChange change) {
    if (!change.namespace().equals(NAMESPACE)) {
      return;
    }
    try {
      change
          .puts()
          .forEach(
              (key, entry) -> {
                if (key.startsWith(STREAM_PREFIX)) {
                  remember(entry.version(), PlacedStreamCodec.decode(entry.value()));
                }
              });
      for (String key : change.deletes()) {
        if (key.startsWith(STREAM_PREFIX)) {
          String name = key.substring(STREAM_PREFIX.length());
          merge(name, new Known(change.index(), null));
          onDelete.accept(name);
        }
      }
    } catch (RuntimeException e) {
      log.error("applying a change of the replicated stream catalog failed", e);
    }
  }

  private void merge(String name, Known update) {
    byName.compute(
        name,
        (n, old) -> {
          if (old != null && old.version() >= update.version()) {
            return old;
          }
          if (old != null && old.stream() != null) {
            old.stream().stream().shards().forEach(s -> streamOfShard.remove(s.shardId()));
          }
          if (update.stream() != null) {
            for (ShardInfo shard : update.stream().stream().shards()) {
              streamOfShard.put(shard.shardId(), n);
            }
          }
          return update;
        });
  }

  @Override
  public void close() throws Exception {
    listening.close();
  }
}
