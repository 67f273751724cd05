package io.inlet.server.read;

import io.inlet.store.MetadataCatalog;
import io.inlet.store.ReaderCatalog;
import io.inlet.store.ShardLog;
import io.inlet.store.StreamCatalog;
import io.inlet.store.StreamStore;
import io.inlet.store.SubscriptionCatalog;

/**
 * A {@link StreamStore} that hands every call to another, with its own {@link ShardLog} in front of
 * the other's (typically a {@link ForwardingShardLog}). Closing it closes the other store.
 */
public class ForwardingStreamStore implements StreamStore {
  private final StreamStore store;
  private final ShardLog log;

  public ForwardingStreamStore(StreamStore store, ShardLog log) {
    this.store = store;
    this.log = log;
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

  @Override
  public void close() {
    store.close();
  }
}
