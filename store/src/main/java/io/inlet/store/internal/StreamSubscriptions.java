package io.inlet.store.internal;

import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/** What the stream catalog asks of the subscriptions when a stream is deleted. */
interface StreamSubscriptions {
  /** Whether any subscription reads from the stream; called gated, under the meta lock. */
  boolean any(String streamName);

  /**
   * Adds to {@code batch} the re-pointing of the stream's subscriptions to {@link
   * io.inlet.api.naming.ObjectNames#ARCHIVED_STREAM}, so that a force delete and the move commit
   * together; called gated, under the meta lock.
   */
  void archive(String streamName, WriteBatch batch) throws RocksDBException;
}
