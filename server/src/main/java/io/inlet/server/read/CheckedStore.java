package io.inlet.server.read;

import io.inlet.api.record.BatchValidator;
import io.inlet.store.StreamStore;

/**
 * The store as the read paths (readers, streaming reads, subscriptions) see it: every batch they
 * read has been checked by {@link CheckedShardLog}, so none of them allocates from a count a stored
 * batch declares. Everything else goes straight to the store.
 */
public final class CheckedStore extends ForwardingStreamStore {

  public CheckedStore(StreamStore store, BatchValidator validator, DamagedBatches damaged) {
    super(store, new CheckedShardLog(store.log(), validator, damaged));
  }

  /** Does nothing: this view does not own the store. */
  @Override
  public void close() {}
}
