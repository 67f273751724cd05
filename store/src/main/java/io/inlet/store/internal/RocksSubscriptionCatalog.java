package io.inlet.store.internal;

import io.inlet.api.naming.ObjectNames;
import io.inlet.store.StoreException;
import io.inlet.store.SubscriptionCatalog;
import io.inlet.store.SubscriptionInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Subscriptions and their checkpoints in {@code meta}. Ids follow {@link ObjectNames}; {@code
 * createdAt} is set to now when the spec has none and kept to the millisecond.
 */
final class RocksSubscriptionCatalog implements SubscriptionCatalog {
  private final MetaStore meta;
  private final StoreGate gate;
  private final Object metaLock;
  private final Predicate<String> streamExists;
  private final Clock clock;
  // Commits share the read side so they run in parallel; delete takes the write side so no
  // checkpoint of a deleted subscription is left behind.
  private final ReadWriteLock commitLock = new ReentrantReadWriteLock();

  RocksSubscriptionCatalog(
      MetaStore meta,
      StoreGate gate,
      Object metaLock,
      Predicate<String> streamExists,
      Clock clock) {
    this.meta = meta;
    this.gate = gate;
    this.metaLock = metaLock;
    this.streamExists = streamExists;
    this.clock = clock;
  }

  @Override
  public SubscriptionInfo create(SubscriptionInfo spec) {
    String id =
        StoreErrors.requireValidName(
            "subscription id", spec.id(), StoreException.Reason.INVALID_SUBSCRIPTION_ID);
    Instant createdAt = spec.createdAt() == null ? clock.instant() : spec.createdAt();
    SubscriptionInfo sub =
        new SubscriptionInfo(
            id,
            spec.streamName(),
            spec.ackTimeoutSeconds(),
            spec.maxUnackedRecords(),
            spec.startFromLatest(),
            createdAt.truncatedTo(ChronoUnit.MILLIS));
    return gate.call(
        () -> {
          synchronized (metaLock) {
            if (spec.streamName() == null || !streamExists.test(spec.streamName())) {
              throw new StoreException(
                  StoreException.Reason.SUBSCRIPTION_STREAM_NOT_FOUND,
                  "cannot subscribe to stream \"" + spec.streamName() + "\": it does not exist");
            }
            byte[] key = MetaKeys.named(MetaKeys.SUBSCRIPTION, id);
            if (meta.get(key) != null) {
              throw new StoreException(
                  StoreException.Reason.SUBSCRIPTION_EXISTS,
                  "subscription \"" + id + "\" already exists");
            }
            meta.put(key, MetaCodec.subscription(sub), "create subscription \"" + id + "\"");
            return sub;
          }
        });
  }

  @Override
  public Optional<SubscriptionInfo> get(String id) {
    return gate.call(
        () ->
            Optional.ofNullable(meta.get(MetaKeys.named(MetaKeys.SUBSCRIPTION, id)))
                .map(MetaCodec::subscription));
  }

  @Override
  public List<SubscriptionInfo> list(String prefix) {
    return gate.call(() -> listUngated(prefix == null ? "" : prefix));
  }

  private List<SubscriptionInfo> listUngated(String prefix) {
    List<SubscriptionInfo> subs = new ArrayList<>();
    meta.forEach(
        MetaKeys.named(MetaKeys.SUBSCRIPTION, prefix),
        (key, value) -> subs.add(MetaCodec.subscription(value)));
    return subs;
  }

  @Override
  public List<SubscriptionInfo> forStream(String streamName) {
    return gate.call(() -> forStreamUngated(streamName));
  }

  private List<SubscriptionInfo> forStreamUngated(String streamName) {
    return listUngated("").stream().filter(sub -> sub.streamName().equals(streamName)).toList();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Deletes the subscription's checkpoints with it, atomically.
   */
  @Override
  public boolean delete(String id) {
    return gate.call(
        () -> {
          commitLock.writeLock().lock();
          try {
            synchronized (metaLock) {
              byte[] key = MetaKeys.named(MetaKeys.SUBSCRIPTION, id);
              if (meta.get(key) == null) {
                return false;
              }
              StoreDatabase database = meta.database();
              String what = "delete subscription \"" + id + "\"";
              byte[] checkpoints = MetaKeys.checkpointPrefix(id);
              try (WriteBatch batch = new WriteBatch()) {
                batch.delete(database.meta(), key);
                batch.deleteRange(database.meta(), checkpoints, MetaKeys.prefixEnd(checkpoints));
                meta.write(batch, what);
              } catch (RocksDBException e) {
                throw StoreErrors.writeFailed(database.dir(), what, e);
              }
              return true;
            }
          } finally {
            commitLock.writeLock().unlock();
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreException SUBSCRIPTION_NOT_FOUND for an unknown subscription
   */
  @Override
  public Map<Long, Long> checkpoints(String id) {
    return gate.call(
        () -> {
          requireExists(id);
          Map<Long, Long> progress = new TreeMap<>();
          byte[] prefix = MetaKeys.checkpointPrefix(id);
          meta.forEach(
              prefix,
              (key, value) ->
                  progress.put(Bytes.getLong(key, prefix.length), Bytes.getLong(value, 0)));
          return progress;
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Durable (fsync'd) when it returns. The value replaces the previous one as given; the caller
   * keeps it moving forward.
   *
   * @throws StoreException SUBSCRIPTION_NOT_FOUND for an unknown subscription
   */
  @Override
  public void commit(String id, long shardId, long nextLsn) {
    gate.run(
        () -> {
          commitLock.readLock().lock();
          try {
            requireExists(id);
            meta.put(
                MetaKeys.checkpoint(id, shardId),
                Bytes.ofLong(nextLsn),
                "commit progress of subscription \"" + id + "\"");
          } finally {
            commitLock.readLock().unlock();
          }
        });
  }

  private void requireExists(String id) {
    if (meta.get(MetaKeys.named(MetaKeys.SUBSCRIPTION, id)) == null) {
      throw StoreException.subscriptionNotFound(id);
    }
  }

  /** Whether any subscription reads from the stream; called by the stream catalog, gated. */
  boolean anyForStream(String streamName) {
    return !forStreamUngated(streamName).isEmpty();
  }

  /**
   * Re-points the stream's subscriptions to {@link ObjectNames#ARCHIVED_STREAM}, in {@code batch}
   * (HStreamDB moves them to its archived stream on a forced delete); their checkpoints stay.
   * Called by the stream catalog, gated, under the meta lock.
   */
  void archiveForStream(String streamName, WriteBatch batch) throws RocksDBException {
    for (SubscriptionInfo sub : forStreamUngated(streamName)) {
      SubscriptionInfo archived =
          new SubscriptionInfo(
              sub.id(),
              ObjectNames.ARCHIVED_STREAM,
              sub.ackTimeoutSeconds(),
              sub.maxUnackedRecords(),
              sub.startFromLatest(),
              sub.createdAt());
      batch.put(
          meta.database().meta(),
          MetaKeys.named(MetaKeys.SUBSCRIPTION, sub.id()),
          MetaCodec.subscription(archived));
    }
  }
}
