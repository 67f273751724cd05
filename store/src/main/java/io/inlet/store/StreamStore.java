package io.inlet.store;

import java.util.Optional;

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

  /**
   * Why the store refuses writes now (after a failed write: a full disk, an I/O error), including
   * what makes them resume; empty while it takes writes. Reads still work meanwhile.
   */
  default Optional<String> writesRefused() {
    return Optional.empty();
  }

  @Override
  void close();
}
