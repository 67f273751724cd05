package io.inlet.store.internal;

import io.inlet.api.naming.ObjectNames;
import io.inlet.store.ReaderCatalog;
import io.inlet.store.ReaderInfo;
import io.inlet.store.StoreException;
import io.inlet.store.StreamCatalog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Shard readers in {@code meta}. Ids follow {@link ObjectNames}. HStreamDB has no "reader exists"
 * code; a taken id fails with {@code ShardReaderInvalidObjectIdentifier}, as the interface says.
 * The reader's stream must exist and own the shard ({@code StreamNotFound} otherwise).
 */
final class RocksReaderCatalog implements ReaderCatalog {
  private final MetaStore meta;
  private final StoreGate gate;
  private final Object metaLock;
  private final StreamCatalog streams;
  private final Clock clock;

  RocksReaderCatalog(
      MetaStore meta, StoreGate gate, Object metaLock, StreamCatalog streams, Clock clock) {
    this.meta = meta;
    this.gate = gate;
    this.metaLock = metaLock;
    this.streams = streams;
    this.clock = clock;
  }

  @Override
  public ReaderInfo create(ReaderInfo spec) {
    String id =
        StoreErrors.requireValidName(
            "reader id", spec.readerId(), StoreException.Reason.INVALID_READER_ID);
    ReaderInfo reader = spec.stamped(clock.instant());
    return gate.call(
        () -> {
          synchronized (metaLock) {
            streams.shardOf(spec.streamName(), spec.shardId());
            byte[] key = MetaKeys.named(MetaKeys.READER, id);
            if (meta.get(key) != null) {
              throw new StoreException(
                  StoreException.Reason.READER_EXISTS, "reader \"" + id + "\" already exists");
            }
            meta.put(key, MetaCodec.reader(reader), "create reader \"" + id + "\"");
            return reader;
          }
        });
  }

  @Override
  public Optional<ReaderInfo> get(String readerId) {
    return gate.call(
        () ->
            Optional.ofNullable(meta.get(MetaKeys.named(MetaKeys.READER, readerId)))
                .map(MetaCodec::reader));
  }

  @Override
  public List<ReaderInfo> list() {
    return gate.call(
        () -> {
          List<ReaderInfo> readers = new ArrayList<>();
          meta.forEach(
              MetaKeys.prefix(MetaKeys.READER),
              (key, value) -> readers.add(MetaCodec.reader(value)));
          return readers;
        });
  }

  @Override
  public boolean delete(String readerId) {
    return gate.call(
        () -> {
          synchronized (metaLock) {
            byte[] key = MetaKeys.named(MetaKeys.READER, readerId);
            if (meta.get(key) == null) {
              return false;
            }
            meta.delete(key, "delete reader \"" + readerId + "\"");
            return true;
          }
        });
  }

  @Override
  public boolean savePosition(String readerId, long nextLsn, int nextIndex) {
    return gate.call(
        () -> {
          synchronized (metaLock) {
            byte[] key = MetaKeys.named(MetaKeys.READER, readerId);
            byte[] value = meta.get(key);
            if (value == null) {
              return false;
            }
            ReaderInfo r = MetaCodec.reader(value);
            if (r.nextLsn() == nextLsn && r.nextIndex() == nextIndex) {
              return true;
            }
            ReaderInfo moved = r.movedTo(nextLsn, nextIndex);
            meta.put(
                key, MetaCodec.reader(moved), "save the position of reader \"" + readerId + "\"");
            return true;
          }
        });
  }
}
