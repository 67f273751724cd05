package io.inlet.server.cluster;

import io.inlet.api.record.PartitionKeys;
import io.inlet.cluster.metadata.MetadataEntry;
import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReadMode;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.metadata.VersionConflictException;
import io.inlet.store.ShardInfo;
import io.inlet.store.StoreException;
import io.inlet.store.StreamCatalog;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's streams and shards, kept in the replicated metadata (namespace {@value
 * StreamDirectory#NAMESPACE}): a stream created through any node is listed and described by every
 * node. Shard ids come from one counter in the same namespace, so they are unique in the cluster;
 * creating a stream is one write that claims the ids and adds the stream (with each shard's
 * replicas, {@link ShardOwners#place}) only if no stream of that name exists.
 *
 * <p>A shard gets min(replication factor, running members) replicas. With one, its records live in
 * the local store of that node (its owner), which holds a copy of the stream ({@link LocalCopies});
 * with more, in the replicated shard log ({@link ReplicatedShardLog}). Limits are the local
 * store's: 1 to 1024 shards; replication factor 0 means 1, up to 15.
 */
final class ReplicatedStreamCatalog implements StreamCatalog {

  private final ReplicatedMetadata metadata;
  private final StreamDirectory directory;
  private final ShardOwners owners;
  private final LocalCopies copies;
  private final ReplicatedSubscriptionCatalog subscriptions;

  ReplicatedStreamCatalog(
      ReplicatedMetadata metadata,
      StreamDirectory directory,
      ShardOwners owners,
      LocalCopies copies,
      ReplicatedSubscriptionCatalog subscriptions) {
    this.metadata = metadata;
    this.directory = directory;
    this.owners = owners;
    this.copies = copies;
    this.subscriptions = subscriptions;
  }

  @Override
  public StreamInfo create(StreamSpec spec) {
    StreamSpec checked = spec.checked();
    int shardCount = checked.shardCount();
    int replication = checked.replicationFactor();
    String key = StreamDirectory.key(spec.name());
    while (true) {
      Optional<MetadataEntry> counter =
          ReplicatedMetadataCatalog.await(
              metadata.get(
                  StreamDirectory.NAMESPACE, StreamDirectory.NEXT_SHARD_ID, ReadMode.LINEARIZABLE));
      long firstId = counter.map(e -> ByteBuffer.wrap(e.value()).getLong()).orElse(1L);
      PlacedStream placed =
          place(spec.name(), shardCount, replication, spec.backlogSeconds(), firstId);
      MetadataWrite write =
          MetadataWrite.in(StreamDirectory.NAMESPACE)
              .put(
                  StreamDirectory.NEXT_SHARD_ID,
                  ByteBuffer.allocate(Long.BYTES).putLong(firstId + shardCount).array(),
                  counter.map(MetadataEntry::version).orElse(MetadataWrite.ABSENT))
              .put(key, PlacedStreamCodec.encode(placed), MetadataWrite.ABSENT)
              .build();
      try {
        long version = ReplicatedMetadataCatalog.await(metadata.write(write));
        directory.remember(version, placed);
        return placed.stream();
      } catch (VersionConflictException e) {
        if (e.key().equals(key)) {
          throw new StoreException(
              StoreException.Reason.STREAM_EXISTS, "stream \"" + spec.name() + "\" already exists");
        }
        // Another node claimed shard ids meanwhile: claim the next ones.
      }
    }
  }

  private PlacedStream place(
      String name, int shardCount, int replication, int backlogSeconds, long firstId) {
    List<ShardInfo> shards = new ArrayList<>(shardCount);
    List<List<Integer>> shardReplicas = new ArrayList<>(shardCount);
    for (int i = 0; i < shardCount; i++) {
      long id = firstId + i;
      shards.add(
          new ShardInfo(
              id,
              name,
              PartitionKeys.rangeStart(i, shardCount),
              PartitionKeys.rangeEnd(i, shardCount)));
      shardReplicas.add(owners.place(id, replication));
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return new PlacedStream(
        new StreamInfo(name, replication, backlogSeconds, now, List.copyOf(shards)), shardReplicas);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The cluster's subscriptions are checked (a linearizable read before the delete). Forced, the
   * stream's subscriptions are then pointed at {@link
   * io.inlet.api.naming.ObjectNames#ARCHIVED_STREAM}, in a write of their own after the stream's;
   * without force, so is one created while the delete ran (see {@link
   * ReplicatedSubscriptionCatalog#create}). This node's copy is deleted at once; the other metadata
   * nodes delete theirs when they apply the delete.
   */
  @Override
  public boolean delete(String name, boolean force) {
    if (!force && !subscriptions.forStream(name).isEmpty()) {
      throw new StoreException(
          StoreException.Reason.STREAM_HAS_SUBSCRIPTIONS,
          "stream \"" + name + "\" has subscriptions; delete them first or force");
    }
    while (true) {
      Optional<MetadataEntry> current =
          ReplicatedMetadataCatalog.await(
              metadata.get(
                  StreamDirectory.NAMESPACE, StreamDirectory.key(name), ReadMode.LINEARIZABLE));
      if (current.isEmpty()) {
        return false;
      }
      try {
        long version =
            ReplicatedMetadataCatalog.await(
                metadata.write(
                    MetadataWrite.in(StreamDirectory.NAMESPACE)
                        .delete(StreamDirectory.key(name), current.get().version())
                        .build()));
        directory.forget(name, version);
        copies.drop(name);
        // Without force, a subscription created while this delete ran is found here, unless the
        // name was taken again meanwhile (that create then finds the stream replaced and undoes).
        if (force || directory.current(name).isEmpty()) {
          subscriptions.archiveForStream(name);
        }
        return true;
      } catch (VersionConflictException changedMeanwhile) {
        // Deleted (report false) or replaced by a new stream (delete that): read again.
      }
    }
  }

  @Override
  public Optional<StreamInfo> get(String name) {
    return directory.get(name).map(PlacedStream::stream);
  }

  @Override
  public List<StreamInfo> list(String prefix) {
    return directory.list(prefix).stream().map(PlacedStream::stream).toList();
  }

  @Override
  public Optional<ShardInfo> shard(long shardId) {
    return directory
        .byShard(shardId)
        .flatMap(s -> s.stream().shards().stream().filter(i -> i.shardId() == shardId).findFirst());
  }

  @Override
  public ShardInfo shardForKey(String streamName, String partitionKey) {
    return directory
        .get(streamName)
        .orElseThrow(() -> StoreException.streamNotFound(streamName))
        .shardForKey(partitionKey);
  }
}
