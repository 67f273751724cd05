package io.inlet.server.grpc;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.store.StoreException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where the store's refusals ({@link StoreException}) get HStreamDB's error codes.
 * {@link GrpcErrors} turns them into statuses; the api's contracts ({@code StreamAppender}, {@code
 * StreamReader}, {@code StreamProvisioner}) hand them on as {@link InletException} through {@link
 * #toDomain}.
 */
public final class StoreErrorMapping {
  private StoreErrorMapping() {}

  /**
   * The HStreamDB code of a store refusal. HStreamDB has no code for an unknown shard: {@code
   * StreamNotFound}, with a message naming the shard, is what its clients handle.
   */
  public static ErrorCode code(StoreException.Reason reason) {
    return switch (reason) {
      case STREAM_NOT_FOUND, SHARD_NOT_FOUND, SHARD_NOT_IN_STREAM -> ErrorCode.StreamNotFound;
      case SUBSCRIPTION_NOT_FOUND -> ErrorCode.SubscriptionNotFound;
      case SUBSCRIPTION_STREAM_NOT_FOUND -> ErrorCode.SubscriptionCreationOnNonExistentStream;
      case STREAM_EXISTS -> ErrorCode.StreamExists;
      case SUBSCRIPTION_EXISTS -> ErrorCode.SubscriptionExists;
      case READER_EXISTS, INVALID_READER_ID -> ErrorCode.ShardReaderInvalidObjectIdentifier;
      case INVALID_STREAM_NAME -> ErrorCode.StreamInvalidObjectIdentifier;
      case INVALID_SUBSCRIPTION_ID -> ErrorCode.SubscriptionInvalidObjectIdentifier;
      case INVALID_SHARD_COUNT -> ErrorCode.StreamInvalidShardCount;
      case INVALID_REPLICATION_FACTOR -> ErrorCode.StreamInvalidReplicaFactor;
      case STREAM_HAS_SUBSCRIPTIONS -> ErrorCode.StreamFoundSubscription;
      case LSN_REJECTED -> ErrorCode.InternalError;
    };
  }

  /** The refusal as the api's {@link InletException}, with the same message. */
  public static InletException toInlet(StoreException e) {
    InletException mapped = new InletException(code(e.reason()), e.getMessage());
    mapped.initCause(e);
    return mapped;
  }

  /**
   * The cause of {@code failure} (unwrapped from {@link CompletionException} and {@link
   * ExecutionException}), a {@link StoreException} replaced by its {@link InletException}.
   */
  public static Throwable toDomain(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof StoreException e ? toInlet(e) : cause;
  }

  /** As {@link #toDomain(Throwable)}, for a failure thrown on the caller's thread. */
  public static RuntimeException toDomain(RuntimeException failure) {
    return failure instanceof StoreException e ? toInlet(e) : failure;
  }
}
