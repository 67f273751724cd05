package io.inlet.store;

import java.util.List;
import java.util.Optional;

/** Shard readers' settings and positions. Every mutation is durable when it returns. */
public interface ReaderCatalog {

  /**
   * @throws StoreException READER_EXISTS, INVALID_READER_ID, STREAM_NOT_FOUND, SHARD_NOT_IN_STREAM
   */
  ReaderInfo create(ReaderInfo reader);

  Optional<ReaderInfo> get(String readerId);

  List<ReaderInfo> list();

  boolean delete(String readerId);

  /**
   * Records where the reader reads next: record {@code nextIndex} of batch {@code nextLsn}. One
   * small write per call; ReadShard calls it once per call that hands out batches.
   *
   * @return false when the reader no longer exists (deleted meanwhile): nothing is written
   */
  boolean savePosition(String readerId, long nextLsn, int nextIndex);
}
