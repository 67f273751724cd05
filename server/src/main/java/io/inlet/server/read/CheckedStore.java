package io.inlet.server.read;

import io.inlet.api.record.BatchValidator;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.ReaderCatalog;
import io.inlet.store.ShardLog;
import io.inlet.store.StreamCatalog;
import io.inlet.store.StreamStore;
import io.inlet.store.SubscriptionCatalog;

/**
 * The store as the read paths (readers, streaming reads, subscriptions) see it: every batch they
 * read has been checked by {@link CheckedShardLog}, so none of them allocates from a count a stored
 * batch declares. Everything else goes straight to the store; closing is the store owner's
 * business, not this view's.
 */
public final class CheckedStore implements StreamStore {
  private final StreamStore store;
  private final CheckedShardLog log;

  public CheckedStore(StreamStore store, BatchValidator validator, DamagedBatches damaged) {
    this.store = store;
    this.log = new CheckedShardLog(store.log(), validator, damaged);
  }

  @Override
  public StreamCatalog streams() {
    return store.streams();
  }

  @Override
  public ShardLog log() {
    return log;
  }

  @Override
  public SubscriptionCatalog subscriptions() {
    return store.subscriptions();
  }

  @Override
  public ReaderCatalog readers() {
    return store.readers();
  }

  @Override
  public MetadataCatalog metadata() {
    return store.metadata();
  }

  /** Does nothing: the view does not own the store. */
  @Override
  public void close() {}
}
