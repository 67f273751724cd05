package io.inlet.server.cluster;

import io.inlet.cluster.metadata.MetadataEntry;
import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReadMode;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.metadata.VersionConflictException;
import io.inlet.cluster.replication.MetadataEpochSource;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The trim point of each replicated shard, kept in the replicated metadata (namespace {@value
 * #NAMESPACE}, key the shard id, value the LSN as 8 bytes): every replica may drop the entries
 * below it, and does ({@link ReplicaHousekeeping}), whether it was up when the trim was asked or
 * not. A point only rises.
 */
final class ShardTrims {
  static final String NAMESPACE = "shard-trims";

  private final ReplicatedMetadata metadata;

  ShardTrims(ReplicatedMetadata metadata) {
    this.metadata = metadata;
  }

  /**
   * Raises the shard's trim point to {@code lsn} (a compare-and-set: a higher point in force
   * stays). Returns once a majority of the metadata nodes has it.
   */
  void raise(long shardId, long lsn) {
    String key = Long.toUnsignedString(shardId);
    while (true) {
      Optional<MetadataEntry> current =
          ReplicatedMetadataCatalog.await(metadata.get(NAMESPACE, key, ReadMode.LINEARIZABLE));
      if (current.isPresent() && decode(current.get().value()) >= lsn) {
        return;
      }
      try {
        ReplicatedMetadataCatalog.await(
            metadata.write(
                MetadataWrite.in(NAMESPACE)
                    .put(
                        key,
                        ByteBuffer.allocate(Long.BYTES).putLong(lsn).array(),
                        current.map(MetadataEntry::version).orElse(MetadataWrite.ABSENT))
                    .build()));
        return;
      } catch (VersionConflictException raisedMeanwhile) {
        // read the point again
      }
    }
  }

  /**
   * Deletes the trim points and latest leader claims (namespace {@value
   * MetadataEpochSource#NAMESPACE}) of deleted shards from the metadata: those whose id is below
   * {@code catalog}'s next shard id and that no stream of it has (ids are never reused). It finds
   * them in this node's replica of the metadata, so a delete that failed once, or that a node down
   * at the time never made, is made by a later call. Returns once a majority of the metadata nodes
   * has the deletes; deleting what is gone already is a no-op.
   *
   * @return how many keys it deleted
   */
  int forgetDeleted(StreamDirectory.Catalog catalog) {
    return forgetDeletedIn(NAMESPACE, catalog)
        + forgetDeletedIn(MetadataEpochSource.NAMESPACE, catalog);
  }

  private int forgetDeletedIn(String namespace, StreamDirectory.Catalog catalog) {
    MetadataWrite.Builder deletes = MetadataWrite.in(namespace);
    int count = 0;
    for (String key :
        ReplicatedMetadataCatalog.await(metadata.list(namespace, ReadMode.LOCAL)).keySet()) {
      if (catalog.deleted(Long.parseUnsignedLong(key))) {
        deletes.delete(key);
        count++;
      }
    }
    if (count > 0) {
      ReplicatedMetadataCatalog.await(metadata.write(deletes.build()));
    }
    return count;
  }

  /** Every shard's trim point, as this node's metadata replica has them (no round trip). */
  Map<Long, Long> points() {
    Map<Long, Long> points = new HashMap<>();
    ReplicatedMetadataCatalog.await(metadata.list(NAMESPACE, ReadMode.LOCAL))
        .forEach((key, entry) -> points.put(Long.parseUnsignedLong(key), decode(entry.value())));
    return points;
  }

  private static long decode(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }
}
