package io.inlet.server.cluster;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
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

  /** Shards found held as the catalog has them since the node started. */
  private final Set<Long> checked = ConcurrentHashMap.newKeySet();

  LocalCopies(StreamStore local, StreamDirectory directory) {
    this.local = local;
    this.directory = directory;
  }

  /**
   * Makes sure the local store holds the cluster stream that has {@code shardId}, if any, as the
   * catalog has it. Checked once per shard while the node runs; then answered from memory.
   *
   * @throws StoreUnavailableException when the local store holds a stream of its own (from before
   *     the node joined a cluster) under that shard id or the stream's name
   */
  void ensureShard(long shardId) {
    if (checked.contains(shardId)) {
      return;
    }
    Optional<PlacedStream> placed = directory.byShard(shardId);
    if (placed.isPresent()) {
      hold(placed.get().stream());
      checked.add(shardId);
    }
  }

  /**
   * Holds {@code stream} in the local store. A local stream in its way (the same name, or one of
   * its shard ids) is dropped when it is an older copy this node noted, and refused otherwise: the
   * local store had it before the node joined a cluster, and its records are not the cluster's to
   * delete.
   */
  private void hold(StreamInfo stream) {
    Optional<StreamInfo> held = local.streams().get(stream.name());
    if (held.isPresent() && held.get().shards().equals(stream.shards())) {
      if (isNotedCopy(held.get())) {
        return;
      }
      // A copy made before copies were noted is the cluster's stream to the millisecond it was
      // created; a stream of the node's own with the same name and shards is not.
      if (held.get().createdAt().equals(stream.createdAt())) {
        note(stream);
        return;
      }
    }
    Set<StreamInfo> inTheWay = new HashSet<>();
    held.ifPresent(inTheWay::add);
    for (ShardInfo shard : stream.shards()) {
      local
          .streams()
          .shard(shard.shardId())
          .flatMap(s -> local.streams().get(s.streamName()))
          .ifPresent(inTheWay::add);
    }
    for (StreamInfo other : inTheWay) {
      if (!isNotedCopy(other)) {
        throw new StoreUnavailableException(
            "stream \""
                + stream.name()
                + "\" cannot be kept on this node: its local store holds stream \""
                + other.name()
                + "\" (shards "
                + shardIds(other)
                + "), which it had before it joined the cluster, under the same name or shard"
                + " ids. Start this node with a data-dir of its own, or move that one aside; its"
                + " records are left as they are");
      }
      drop(other.name());
    }
    note(stream);
    local.streams().adopt(stream);
  }

  /** Noted before the copy is made: a note without a copy (a crash between) is dropped later. */
  private void note(StreamInfo stream) {
    byte[] first = ByteBuffer.allocate(Long.BYTES).putLong(firstShard(stream)).array();
    if (!local
        .metadata()
        .get(NAMESPACE, stream.name())
        .map(v -> Arrays.equals(v, first))
        .orElse(false)) {
      local.metadata().put(NAMESPACE, stream.name(), first);
    }
  }

  private boolean isNotedCopy(StreamInfo stream) {
    return local
        .metadata()
        .get(NAMESPACE, stream.name())
        .map(v -> ByteBuffer.wrap(v).getLong() == firstShard(stream))
        .orElse(false);
  }

  private static String shardIds(StreamInfo stream) {
    return stream.shards().stream()
        .map(s -> Long.toUnsignedString(s.shardId()))
        .collect(Collectors.joining(", "));
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
    int dropped = 0;
    for (Map.Entry<String, byte[]> note : local.metadata().list(NAMESPACE).entrySet()) {
      String name = note.getKey();
      long noted = ByteBuffer.wrap(note.getValue()).getLong();
      Optional<StreamInfo> held = local.streams().get(name);
      if (held.isEmpty() || firstShard(held.get()) != noted) {
        local.metadata().delete(NAMESPACE, name); // dropped already, or adopted again since
      } else if (catalog.deleted(noted)) {
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
