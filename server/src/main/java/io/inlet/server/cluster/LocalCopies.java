package io.inlet.server.cluster;

import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's local store holds a copy of each cluster stream it touches, so that it can keep the
 * records of the shards it owns and answer reads of them. A copy is made on first use ({@link
 * io.inlet.store.StreamCatalog#adopt}) and dropped, with its records, when the stream is deleted
 * through this node or (on a metadata node) through any other.
 */
final class LocalCopies {
  private static final Logger log = LoggerFactory.getLogger(LocalCopies.class);

  private final StreamStore local;
  private final StreamDirectory directory;

  LocalCopies(StreamStore local, StreamDirectory directory) {
    this.local = local;
    this.directory = directory;
  }

  /** Makes sure the local store holds the cluster stream that has {@code shardId}, if any. */
  void ensureShard(long shardId) {
    if (local.streams().shard(shardId).isEmpty()) {
      directory.byShard(shardId).ifPresent(placed -> local.streams().adopt(placed.stream()));
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
                local.streams().adopt(placed.stream());
              }
            });
  }

  /** Deletes this node's copy of {@code name} and its records. */
  void drop(String name) {
    local.streams().delete(name, true);
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
        local.streams().delete(name, true);
        log.info("deleted this node's copy of stream \"{}\", deleted in the cluster", name);
      }
    } catch (RuntimeException e) {
      log.warn(
          "could not delete this node's copy of deleted stream \"{}\": {}", name, e.toString());
    }
  }
}
