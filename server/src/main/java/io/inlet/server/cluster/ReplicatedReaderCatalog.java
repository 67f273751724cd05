package io.inlet.server.cluster;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.naming.ObjectNames;
import io.inlet.cluster.metadata.MetadataEntry;
import io.inlet.cluster.metadata.MetadataWrite;
import io.inlet.cluster.metadata.ReadMode;
import io.inlet.cluster.metadata.ReplicatedMetadata;
import io.inlet.cluster.metadata.VersionConflictException;
import io.inlet.store.ReaderCatalog;
import io.inlet.store.ReaderInfo;
import io.inlet.store.StoreException;
import io.inlet.store.StreamCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's shard readers, kept in the replicated metadata (namespace {@value #NAMESPACE}, key
 * the reader id, value {@link ReaderCodec}): a reader created through any node is listed, read and
 * deleted through every node, and goes on where it was when the node it was read through stops.
 * Every mutation returns once a majority of the metadata nodes has it; every read is linearizable.
 *
 * <p>Where a reader reads next is saved by each ReadShard that hands out records, as a
 * compare-and-set on the version this node last read or wrote: a node whose view of the reader is
 * older (another node read it meanwhile) saves nothing and hands nothing out; it answers
 * UNAVAILABLE, and the next read starts from where the other node left the reader.
 */
final class ReplicatedReaderCatalog implements ReaderCatalog {
  static final String NAMESPACE = "cluster.readers";

  private final ReplicatedMetadata metadata;
  private final StreamCatalog streams;

  /** Each reader as this node last read or wrote it, with that version. */
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  private record Seen(long version, ReaderInfo reader) {}

  ReplicatedReaderCatalog(ReplicatedMetadata metadata, StreamCatalog streams) {
    this.metadata = metadata;
    this.streams = streams;
  }

  @Override
  public ReaderInfo create(ReaderInfo spec) {
    String invalid = ObjectNames.invalidMessage("reader id", spec.readerId());
    if (invalid != null) {
      throw new StoreException(StoreException.Reason.INVALID_READER_ID, invalid);
    }
    streams.shardOf(spec.streamName(), spec.shardId());
    ReaderInfo reader = spec.stamped(Instant.now());
    try {
      long version =
          ReplicatedMetadataCatalog.await(
              metadata.write(
                  MetadataWrite.create(NAMESPACE, reader.readerId(), ReaderCodec.encode(reader))));
      seen.put(reader.readerId(), new Seen(version, reader));
    } catch (VersionConflictException e) {
      throw new StoreException(
          StoreException.Reason.READER_EXISTS,
          "reader \"" + reader.readerId() + "\" already exists");
    }
    return reader;
  }

  @Override
  public Optional<ReaderInfo> get(String readerId) {
    Optional<MetadataEntry> entry = read(readerId);
    if (entry.isEmpty()) {
      seen.remove(readerId);
      return Optional.empty();
    }
    ReaderInfo reader = ReaderCodec.decode(entry.get().value());
    seen.put(readerId, new Seen(entry.get().version(), reader));
    return Optional.of(reader);
  }

  @Override
  public List<ReaderInfo> list() {
    List<ReaderInfo> readers = new ArrayList<>();
    ReplicatedMetadataCatalog.await(metadata.list(NAMESPACE, ReadMode.LINEARIZABLE))
        .values()
        .forEach(entry -> readers.add(ReaderCodec.decode(entry.value())));
    return readers;
  }

  @Override
  public boolean delete(String readerId) {
    while (true) {
      Optional<MetadataEntry> current = read(readerId);
      if (current.isEmpty()) {
        seen.remove(readerId);
        return false;
      }
      try {
        ReplicatedMetadataCatalog.await(
            metadata.write(
                MetadataWrite.in(NAMESPACE).delete(readerId, current.get().version()).build()));
        seen.remove(readerId);
        return true;
      } catch (VersionConflictException movedMeanwhile) {
        // Read through another node meanwhile, or deleted: read again.
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws StoreUnavailableException when another node moved the reader on since this node last
   *     read it (nothing is saved)
   */
  @Override
  public boolean savePosition(String readerId, long nextLsn, int nextIndex) {
    Seen last = seen.get(readerId);
    if (last == null) {
      if (get(readerId).isEmpty()) {
        return false;
      }
      last = seen.get(readerId);
    }
    ReaderInfo reader = last.reader();
    if (reader.nextLsn() == nextLsn && reader.nextIndex() == nextIndex) {
      return true;
    }
    ReaderInfo moved = reader.movedTo(nextLsn, nextIndex);
    try {
      long version =
          ReplicatedMetadataCatalog.await(
              metadata.write(
                  MetadataWrite.in(NAMESPACE)
                      .put(readerId, ReaderCodec.encode(moved), last.version())
                      .build()));
      seen.put(readerId, new Seen(version, moved));
      return true;
    } catch (VersionConflictException movedMeanwhile) {
      seen.remove(readerId);
      if (read(readerId).isEmpty()) {
        return false;
      }
      throw new StoreUnavailableException(
          "shard reader \""
              + readerId
              + "\" was read through another node meanwhile; read it again: it goes on from where"
              + " that node left it");
    }
  }

  private Optional<MetadataEntry> read(String readerId) {
    return ReplicatedMetadataCatalog.await(
        metadata.get(NAMESPACE, readerId, ReadMode.LINEARIZABLE));
  }
}
