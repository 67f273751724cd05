package io.inlet.api.append;

/**
 * Creates the streams an ingress writes to when they do not exist yet (MQTT mapping rules, CDC
 * source connectors). The server binds it to the store or, in a cluster, to the router.
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
