package io.inlet.store;

import io.inlet.store.internal.RocksStreamStore;
import java.util.Optional;

/**
 * An open store: one RocksDB in the data directory holding every stream's entries ({@link
 * ShardLog}) and all metadata. Open with {@link #open(StoreOptions)}.
 *
 * <p>{@link #close()} stops accepting appends, completes the ones in flight, fails waiting readers
 * and closes RocksDB; it is idempotent.
 */
public interface StreamStore extends AutoCloseable {

  /**
   * Opens the store in {@code options.dataDir()} and recovers every shard's position. A missing or
   * empty directory gets a new store; a directory holding anything else is opened only as the store
   * it is, and only when recovery keeps every acknowledged batch.
   *
   * @throws IllegalArgumentException when an option is out of range (the message names it)
   * @throws io.inlet.api.error.StoreUnavailableException naming the directory and the cause when it
   *     cannot be created, is not writable, is locked by another process, holds a newer format or
   *     is no store
   * @throws DamagedDataException when its files are damaged or incomplete: the message names what
   *     was found and the repair command ({@link StoreRepair}); nothing was changed
   */
  static StreamStore open(StoreOptions options) {
    return RocksStreamStore.open(options);
  }

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
