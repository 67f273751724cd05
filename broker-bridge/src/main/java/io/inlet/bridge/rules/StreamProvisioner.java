package io.inlet.bridge.rules;

/**
 * Lets rules auto-create their streams; the server binds it to the store's stream catalog (or, in a
 * cluster, to the metadata group).
 */
public interface StreamProvisioner {

  /** Whether the stream exists. Fast (no I/O); may be called on an event loop. */
  boolean exists(String stream);

  /**
   * Creates the stream with {@code shardCount} shards, durably; returns normally when it exists
   * already (created concurrently). Blocks: never call it on an event loop.
   *
   * @throws io.inlet.api.error.InletException for an invalid name or shard count
   * @throws io.inlet.api.error.StoreUnavailableException when the store cannot write
   */
  void create(String stream, int shardCount);
}
