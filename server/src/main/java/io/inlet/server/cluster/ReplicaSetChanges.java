package io.inlet.server.cluster;

import io.inlet.cluster.metadata.MetadataEntry;
import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReadMode;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.metadata.VersionConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Changes of a replicated shard's replica set in the catalog, in two steps, each a compare-and-set
 * on the stream's entry (a stream changed meanwhile, by another node or a create/delete, makes the
 * step a no-op the caller may retry): {@link #replace} (or {@link #add}) puts the new set in place
 * and keeps the old one as the shard's previous set; {@link #finish} forgets the previous set once
 * the shard's leader has every entry on a majority of the new set. Between the two, any leader of
 * the shard must seal a majority of both sets ({@code ReplicationNode#lead}), so no acknowledged
 * entry is lost across the change, whichever replica fails meanwhile.
 */
final class ReplicaSetChanges {
  private final ReplicatedMetadata metadata;
  private final StreamDirectory directory;

  ReplicaSetChanges(ReplicatedMetadata metadata, StreamDirectory directory) {
    this.metadata = metadata;
    this.directory = directory;
  }

  /**
   * Replaces {@code gone} by {@code joining} in {@code shardId}'s replica set (same place in it),
   * keeping the current set as the previous one; only while no change of the shard is under way.
   *
   * @return true when the catalog now has the new set
   */
  boolean replace(String streamName, long shardId, int gone, int joining) {
    return update(
        streamName,
        placed -> {
          List<Integer> current = placed.replicasOf(shardId);
          if (!placed.previousReplicasOf(shardId).isEmpty()
              || !current.contains(gone)
              || current.contains(joining)) {
            return null;
          }
          List<Integer> next = new ArrayList<>(current);
          next.set(current.indexOf(gone), joining);
          return placed.withReplicaSetChanged(shardId, next);
        });
  }

  /**
   * Adds {@code joining} to {@code shardId}'s replica set (at its end), keeping the current set as
   * the previous one; only while no change of the shard is under way and the set has fewer replicas
   * than {@code wanted}.
   *
   * @return true when the catalog now has the new set
   */
  boolean add(String streamName, long shardId, int joining, int wanted) {
    return update(
        streamName,
        placed -> {
          List<Integer> current = placed.replicasOf(shardId);
          if (!placed.previousReplicasOf(shardId).isEmpty()
              || current.size() >= wanted
              || current.contains(joining)) {
            return null;
          }
          List<Integer> next = new ArrayList<>(current);
          next.add(joining);
          return placed.withReplicaSetChanged(shardId, next);
        });
  }

  /**
   * Forgets {@code shardId}'s previous replica set.
   *
   * @return true when the catalog no longer has one for the shard
   */
  boolean finish(String streamName, long shardId) {
    return update(
        streamName,
        placed ->
            placed.previousReplicasOf(shardId).isEmpty()
                ? null
                : placed.withChangeFinished(shardId));
  }

  /** Applies {@code change} (null: nothing to do) to the stream as the catalog has it now. */
  private boolean update(String streamName, UnaryOperator<PlacedStream> change) {
    String key = StreamDirectory.key(streamName);
    Optional<MetadataEntry> entry =
        ReplicatedMetadataCatalog.await(
            metadata.get(StreamDirectory.NAMESPACE, key, ReadMode.LINEARIZABLE));
    if (entry.isEmpty()) {
      return false;
    }
    PlacedStream changed = change.apply(PlacedStreamCodec.decode(entry.get().value()));
    if (changed == null) {
      return false;
    }
    try {
      long version =
          ReplicatedMetadataCatalog.await(
              metadata.write(
                  MetadataWrite.in(StreamDirectory.NAMESPACE)
                      .put(key, PlacedStreamCodec.encode(changed), entry.get().version())
                      .build()));
      directory.remember(version, changed);
      return true;
    } catch (VersionConflictException changedMeanwhile) {
      return false;
    }
  }
}
