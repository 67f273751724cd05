package io.inlet.server.cluster;

import io.inlet.api.naming.ObjectNames;
import io.inlet.cluster.metadata.MetadataEntry;
import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReadMode;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.metadata.VersionConflictException;
import io.inlet.store.StoreException;
import io.inlet.store.SubscriptionCatalog;
import io.inlet.store.SubscriptionInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's subscriptions, kept in the replicated metadata (namespace {@value #NAMESPACE}): a
 * subscription created through any node is listed, described and deleted through every node. Each
 * has two keys, written and deleted together: its settings ({@value #INFO_PREFIX}id) and its
 * progress ({@value #PROGRESS_PREFIX}id: the owner node and the committed checkpoints, {@link
 * SubscriptionProgress}). Every mutation returns once a majority of the metadata nodes has it;
 * every read is linearizable. Without a majority they answer {@link
 * io.inlet.api.error.StoreUnavailableException}.
 *
 * <p>The owner commits through {@link SubscriptionOwners}; {@link #commit} here (used when a LATEST
 * subscription is created) sets checkpoints whoever owns it.
 */
final class ReplicatedSubscriptionCatalog implements SubscriptionCatalog {
  static final String NAMESPACE = "cluster.subscriptions";
  static final String INFO_PREFIX = "subscription:";
  static final String PROGRESS_PREFIX = "progress:";

  private final ReplicatedMetadata metadata;
  private final StreamDirectory streams;

  ReplicatedSubscriptionCatalog(ReplicatedMetadata metadata, StreamDirectory streams) {
    this.metadata = metadata;
    this.streams = streams;
  }

  static String infoKey(String id) {
    return INFO_PREFIX + id;
  }

  static String progressKey(String id) {
    return PROGRESS_PREFIX + id;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The stream lives in another namespace, so it cannot be checked in the same write. It is
   * checked before the write and read again after it: a stream deleted (or deleted and created
   * again) in between makes the create undo its write and fail as if the stream had not existed. A
   * stream delete, for its part, lists the stream's subscriptions again after its own write ({@link
   * ReplicatedStreamCatalog#delete}), so of a delete and a create that overlap, at least one sees
   * the other, and no subscription is left on a stream that is gone.
   */
  @Override
  public SubscriptionInfo create(SubscriptionInfo spec) {
    String invalid = ObjectNames.invalidMessage("subscription id", spec.id());
    if (invalid != null) {
      throw new StoreException(StoreException.Reason.INVALID_SUBSCRIPTION_ID, invalid);
    }
    long streamFirstShard =
        Optional.ofNullable(spec.streamName())
            .flatMap(streams::current)
            .map(ReplicatedSubscriptionCatalog::firstShard)
            .orElseThrow(() -> streamNotFound(spec.streamName()));
    Instant createdAt = spec.createdAt() == null ? Instant.now() : spec.createdAt();
    SubscriptionInfo info =
        new SubscriptionInfo(
            spec.id(),
            spec.streamName(),
            spec.ackTimeoutSeconds(),
            spec.maxUnackedRecords(),
            spec.startFromLatest(),
            createdAt.truncatedTo(ChronoUnit.MILLIS));
    try {
      ReplicatedMetadataCatalog.await(
          metadata.write(
              MetadataWrite.in(NAMESPACE)
                  .put(infoKey(info.id()), SubscriptionCodec.encode(info), MetadataWrite.ABSENT)
                  .put(
                      progressKey(info.id()),
                      SubscriptionCodec.encode(SubscriptionProgress.unowned()),
                      MetadataWrite.ABSENT)
                  .build()));
    } catch (VersionConflictException e) {
      throw new StoreException(
          StoreException.Reason.SUBSCRIPTION_EXISTS,
          "subscription \"" + info.id() + "\" already exists");
    }
    boolean sameStream =
        streams
            .current(info.streamName())
            .map(s -> firstShard(s) == streamFirstShard)
            .orElse(false);
    if (!sameStream) {
      undoCreate(info);
      throw streamNotFound(info.streamName());
    }
    return info;
  }

  /** Shard ids are never reused, so a stream's first one tells one stream from a later namesake. */
  private static long firstShard(PlacedStream stream) {
    return stream.stream().shards().get(0).shardId();
  }

  private static StoreException streamNotFound(String streamName) {
    return new StoreException(
        StoreException.Reason.SUBSCRIPTION_STREAM_NOT_FOUND,
        "cannot subscribe to stream \"" + streamName + "\": it does not exist");
  }

  /**
   * Deletes the subscription this node just wrote ({@code created}), archived meanwhile or not,
   * unless a client deleted it, or deleted it and created another of that id, since.
   */
  private void undoCreate(SubscriptionInfo created) {
    while (true) {
      Optional<MetadataEntry> current = read(infoKey(created.id()));
      if (current.isEmpty()
          || !SubscriptionCodec.decodeInfo(current.get().value())
              .createdAt()
              .equals(created.createdAt())) {
        return;
      }
      try {
        ReplicatedMetadataCatalog.await(
            metadata.write(
                MetadataWrite.in(NAMESPACE)
                    .delete(infoKey(created.id()), current.get().version())
                    .delete(progressKey(created.id()))
                    .build()));
        return;
      } catch (VersionConflictException changedMeanwhile) {
        // Archived or deleted meanwhile: read again.
      }
    }
  }

  @Override
  public Optional<SubscriptionInfo> get(String id) {
    return read(infoKey(id)).map(e -> SubscriptionCodec.decodeInfo(e.value()));
  }

  @Override
  public List<SubscriptionInfo> list(String prefix) {
    String from = INFO_PREFIX + (prefix == null ? "" : prefix);
    List<SubscriptionInfo> found = new ArrayList<>();
    ReplicatedMetadataCatalog.await(metadata.list(NAMESPACE, ReadMode.LINEARIZABLE))
        .forEach(
            (key, entry) -> {
              if (key.startsWith(from)) {
                found.add(SubscriptionCodec.decodeInfo(entry.value()));
              }
            });
    return found;
  }

  @Override
  public List<SubscriptionInfo> forStream(String streamName) {
    return list("").stream().filter(s -> s.streamName().equals(streamName)).toList();
  }

  /** Deletes the settings and the progress in one write. */
  @Override
  public boolean delete(String id) {
    while (true) {
      Optional<MetadataEntry> current = read(infoKey(id));
      if (current.isEmpty()) {
        return false;
      }
      try {
        ReplicatedMetadataCatalog.await(
            metadata.write(
                MetadataWrite.in(NAMESPACE)
                    .delete(infoKey(id), current.get().version())
                    .delete(progressKey(id))
                    .build()));
        return true;
      } catch (VersionConflictException changedMeanwhile) {
        // Deleted (report false) or replaced (delete that): read again.
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreException SUBSCRIPTION_NOT_FOUND for an unknown subscription
   */
  @Override
  public Map<Long, Long> checkpoints(String id) {
    return progress(id).checkpoints();
  }

  @Override
  public void commit(String id, long shardId, long nextLsn) {
    commit(id, Map.of(shardId, nextLsn));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One compare-and-set write; an owner holding the subscription then finds its own next write
   * refused and takes it again from this value.
   *
   * @throws StoreException SUBSCRIPTION_NOT_FOUND for an unknown subscription
   */
  @Override
  public void commit(String id, Map<Long, Long> prefixes) {
    while (true) {
      MetadataEntry entry = read(progressKey(id)).orElseThrow(() -> notFound(id));
      SubscriptionProgress next = SubscriptionCodec.decodeProgress(entry.value()).with(prefixes);
      try {
        ReplicatedMetadataCatalog.await(
            metadata.write(
                MetadataWrite.in(NAMESPACE)
                    .put(progressKey(id), SubscriptionCodec.encode(next), entry.version())
                    .build()));
        return;
      } catch (VersionConflictException changedMeanwhile) {
        // Its owner committed meanwhile: apply ours to what it wrote.
      }
    }
  }

  /**
   * Points the subscriptions of a stream deleted with force at {@link ObjectNames#ARCHIVED_STREAM},
   * as HStreamDB does; their checkpoints stay. Done after the stream's delete, in one write.
   */
  void archiveForStream(String streamName) {
    while (true) {
      MetadataWrite.Builder write = MetadataWrite.in(NAMESPACE);
      int count = 0;
      for (Map.Entry<String, MetadataEntry> e :
          ReplicatedMetadataCatalog.await(metadata.list(NAMESPACE, ReadMode.LINEARIZABLE))
              .entrySet()) {
        if (!e.getKey().startsWith(INFO_PREFIX)) {
          continue;
        }
        SubscriptionInfo sub = SubscriptionCodec.decodeInfo(e.getValue().value());
        if (sub.streamName().equals(streamName)) {
          SubscriptionInfo archived =
              new SubscriptionInfo(
                  sub.id(),
                  ObjectNames.ARCHIVED_STREAM,
                  sub.ackTimeoutSeconds(),
                  sub.maxUnackedRecords(),
                  sub.startFromLatest(),
                  sub.createdAt());
          write.put(e.getKey(), SubscriptionCodec.encode(archived), e.getValue().version());
          count++;
        }
      }
      if (count == 0) {
        return;
      }
      try {
        ReplicatedMetadataCatalog.await(metadata.write(write.build()));
        return;
      } catch (VersionConflictException changedMeanwhile) {
        // One was deleted or created meanwhile: look again.
      }
    }
  }

  /** The subscription's progress, read linearizably. */
  SubscriptionProgress progress(String id) {
    return read(progressKey(id))
        .map(e -> SubscriptionCodec.decodeProgress(e.value()))
        .orElseThrow(() -> notFound(id));
  }

  Optional<MetadataEntry> read(String key) {
    return ReplicatedMetadataCatalog.await(metadata.get(NAMESPACE, key, ReadMode.LINEARIZABLE));
  }

  static StoreException notFound(String id) {
    return StoreException.subscriptionNotFound(id);
  }
}
