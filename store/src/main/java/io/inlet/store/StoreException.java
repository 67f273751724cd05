package io.inlet.store;

/**
 * A request the store refuses: an unknown stream, shard or subscription, a name already taken or
 * not allowed, a setting out of range. {@link #reason()} says which, the message names the value,
 * e.g. {@code stream "orders" not found}. Nothing was changed by the refused request; repeating it
 * unchanged fails the same way.
 *
 * <p>The store's own vocabulary: callers at a protocol's edge (the gRPC API) turn the reason into
 * their protocol's error code. Failures that retrying may cure are {@link
 * io.inlet.api.error.StoreUnavailableException}; damaged data is {@link DamagedDataException}.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the store refused. */
  public enum Reason {
    STREAM_NOT_FOUND,
    /** No shard has this id (its stream may have been deleted). */
    SHARD_NOT_FOUND,
    /** The shard exists but belongs to another stream than the one named. */
    SHARD_NOT_IN_STREAM,
    SUBSCRIPTION_NOT_FOUND,
    /** A subscription was to be created on a stream that does not exist. */
    SUBSCRIPTION_STREAM_NOT_FOUND,
    STREAM_EXISTS,
    SUBSCRIPTION_EXISTS,
    READER_EXISTS,
    INVALID_STREAM_NAME,
    INVALID_SUBSCRIPTION_ID,
    INVALID_READER_ID,
    INVALID_SHARD_COUNT,
    INVALID_REPLICATION_FACTOR,
    /** A stream with subscriptions was to be deleted without force. */
    STREAM_HAS_SUBSCRIPTIONS,
    /** An entry for an LSN chosen elsewhere that the shard cannot take (a gap, or below 1). */
    LSN_REJECTED
  }

  private final Reason reason;

  public StoreException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public static StoreException streamNotFound(String name) {
    return new StoreException(Reason.STREAM_NOT_FOUND, "stream " + quote(name) + " not found");
  }

  public static StoreException subscriptionNotFound(String id) {
    return new StoreException(
        Reason.SUBSCRIPTION_NOT_FOUND, "subscription " + quote(id) + " not found");
  }

  public static StoreException shardNotFound(long shardId) {
    return new StoreException(
        Reason.SHARD_NOT_FOUND, "shard " + Long.toUnsignedString(shardId) + " not found");
  }

  public static StoreException shardNotInStream(long shardId, String streamName) {
    return new StoreException(
        Reason.SHARD_NOT_IN_STREAM,
        "shard "
            + Long.toUnsignedString(shardId)
            + " does not belong to stream "
            + quote(streamName)
            + " (see ListShards)");
  }

  private static String quote(String name) {
    return io.inlet.api.naming.ObjectNames.quote(name);
  }
}
