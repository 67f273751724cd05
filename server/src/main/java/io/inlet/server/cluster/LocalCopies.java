package io.inlet.server.cluster;

import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's local store holds a copy of each cluster stream it touches, so that it can keep the
 * records of the shards it owns and answer reads of them. A copy is made on first use ({@link
 * io.inlet.store.StreamCatalog#adopt}) and noted in the local store's metadata (namespace {@value
 * #NAMESPACE}: the stream's name and first shard id), so that it is told from a stream the local
 * store had before the node joined a cluster, which is never touched. A copy is dropped, with its
 * records, when the stream is deleted through this node or (on a metadata node) through any other,
 * and in any case by {@link #dropDeleted} after the next look at the catalog: on a node outside
 * {@code metadata-nodes}, on a node that was down when the stream was deleted, after a drop that
 * failed.
 */
final class LocalCopies {
  private static final Logger log = LoggerFactory.getLogger(LocalCopies.class);

  static final String NAMESPACE = "cluster.local-copies";

  private final StreamStore local;
  private final StreamDirectory directory;

  LocalCopies(StreamStore local, StreamDirectory directory) {
    this.local = local;
    this.directory = directory;
  }

  /** Makes sure the local store holds the cluster stream that has {@code shardId}, if any. */
  void ensureShard(long shardId) {
    if (local.streams().shard(shardId).isEmpty()) {
      directory.byShard(shardId).ifPresent(placed -> adopt(placed.stream()));
    }
  }

  /** Makes sure the local store holds the cluster stream {@code name} as it is, if it exists. */
  void ensureStream(String name) {
    directory
        .get(name)
        .ifPresent(
            placed -> {
              Optional<StreamInfo> held = local.streams().get(name);
              if (held.isEmpty() || !held.get().shards().equals(placed.stream().shards())) {
                adopt(placed.stream());
              }
            });
  }

  /** Notes the copy first: a note without a copy (a crash between the two) is dropped later. */
  private void adopt(StreamInfo stream) {
    local
        .metadata()
        .put(
            NAMESPACE,
            stream.name(),
            ByteBuffer.allocate(Long.BYTES).putLong(firstShard(stream)).array());
    local.streams().adopt(stream);
  }

  private static long firstShard(StreamInfo stream) {
    return stream.shards().get(0).shardId();
  }

  /** Deletes this node's copy of {@code name} and its records. */
  void drop(String name) {
    local.streams().delete(name, true);
    local.metadata().delete(NAMESPACE, name);
  }

  /**
   * Drops the noted copies of streams {@code catalog} (a linearizable read) no longer has: a copy
   * whose first shard id is below the catalog's next one and that no stream of it has (shard ids
   * are never reused). Returns how many it dropped.
   */
  int dropDeleted(StreamDirectory.Catalog catalog) {
    Set<Long> known = new HashSet<>();
    catalog.streams().forEach(s -> known.add(firstShard(s.stream())));
    int dropped = 0;
    for (Map.Entry<String, byte[]> note : local.metadata().list(NAMESPACE).entrySet()) {
      String name = note.getKey();
      long noted = ByteBuffer.wrap(note.getValue()).getLong();
      Optional<StreamInfo> held = local.streams().get(name);
      if (held.isEmpty() || firstShard(held.get()) != noted) {
        local.metadata().delete(NAMESPACE, name); // dropped already, or adopted again since
      } else if (Long.compareUnsigned(noted, catalog.nextShardId()) < 0 && !known.contains(noted)) {
        drop(name);
        dropped++;
        log.info("deleted this node's copy of stream \"{}\", deleted in the cluster", name);
      }
    }
    return dropped;
  }

  /**
   * After a delete applied from the group: drops the local copy unless the catalog now has a stream
   * of that name with the same shards (never, unless the delete was overtaken by a newer read).
   */
  void dropIfStale(String name) {
    try {
      Optional<StreamInfo> held = local.streams().get(name);
      if (held.isEmpty()) {
        return;
      }
      Optional<PlacedStream> current = directory.cachedOrEmpty(name);
      if (current.isEmpty() || !current.get().stream().shards().equals(held.get().shards())) {
        drop(name);
        log.info("deleted this node's copy of stream \"{}\", deleted in the cluster", name);
      }
    } catch (RuntimeException e) {
      log.warn(
          "could not delete this node's copy of deleted stream \"{}\" now; the next look at the"
              + " catalog tries again: {}",
          name,
          e.toString());
    }
  }
}
