package io.inlet.store;

/**
 * An open store: one RocksDB in the data directory holding every stream's batches and all metadata.
 * Open with {@code io.inlet.store.internal.RocksStreamStore.open(options)}.
 *
 * <p>{@link #close()} stops accepting appends, completes the ones in flight, fails waiting readers
 * and closes RocksDB; it is idempotent.
 */
public interface StreamStore extends AutoCloseable {
  StreamCatalog streams();

  ShardLog log();

  SubscriptionCatalog subscriptions();

  ReaderCatalog readers();

  /** Namespaced key-value metadata of other components (MQTT rules, connector state). */
  MetadataCatalog metadata();

  @Override
  void close();
}
