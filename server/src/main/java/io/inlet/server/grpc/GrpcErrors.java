package io.inlet.server.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.server.subscription.ConsumerAlreadyConnectedException;
import io.inlet.store.DamagedDataException;
import io.inlet.store.StoreException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become gRPC statuses (the store's refusals get their HStreamDB code
 * from {@link StoreErrorMapping}). The status description is the JSON body HStreamDB clients parse:
 * {@code {"error": <ErrorCode number>, "message": "..."}}.
 */
public final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

  /** The longest message a status carries. */
  static final int MAX_MESSAGE_CHARS = 1000;

  private GrpcErrors() {}

  /** The status for any failure; unexpected ones are logged once with their stack trace. */
  public static StatusRuntimeException toStatus(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StatusRuntimeException s) {
      return s;
    }
    if (cause instanceof InletException e) {
      return status(statusFor(e.code()), e.code(), e.getMessage());
    }
    if (cause instanceof StoreException e) {
      ErrorCode code = StoreErrorMapping.code(e.reason());
      return status(statusFor(code), code, e.getMessage());
    }
    if (cause instanceof ConsumerAlreadyConnectedException e) {
      return status(Status.ALREADY_EXISTS, ErrorCode.InternalError, e.getMessage());
    }
    if (cause instanceof StoreUnavailableException e) {
      return status(Status.UNAVAILABLE, ErrorCode.InternalError, e.getMessage());
    }
    if (cause instanceof DamagedDataException e) {
      // Not UNAVAILABLE: clients retry that, and a retry reads the same damage.
      log.error("{}", e.getMessage());
      return status(Status.DATA_LOSS, ErrorCode.InternalError, e.getMessage());
    }
    log.error("internal error", cause);
    return status(Status.INTERNAL, ErrorCode.InternalError, "internal error: " + cause);
  }

  public static StatusRuntimeException invalidArgument(ErrorCode code, String message) {
    return status(Status.INVALID_ARGUMENT, code, message);
  }

  public static StatusRuntimeException notFound(ErrorCode code, String message) {
    return status(Status.NOT_FOUND, code, message);
  }

  public static StatusRuntimeException alreadyExists(ErrorCode code, String message) {
    return status(Status.ALREADY_EXISTS, code, message);
  }

  public static StatusRuntimeException failedPrecondition(ErrorCode code, String message) {
    return status(Status.FAILED_PRECONDITION, code, message);
  }

  public static StatusRuntimeException unavailable(String message) {
    return status(Status.UNAVAILABLE, ErrorCode.InternalError, message);
  }

  static StatusRuntimeException unimplemented(String message) {
    return status(Status.UNIMPLEMENTED, ErrorCode.InternalError, message);
  }

  static Status statusFor(ErrorCode code) {
    return switch (code) {
      case StreamNotFound, SubscriptionNotFound, QueryNotFound, ViewNotFound, ConnectorNotFound ->
          Status.NOT_FOUND;
      case StreamExists, SubscriptionExists, QueryExists, ViewExists, ConnectorExists ->
          Status.ALREADY_EXISTS;
      case StreamFoundSubscription,
          SubscriptionFoundActiveConsumers,
          SubscriptionCreationOnNonExistentStream,
          QueryFoundAssociatedView,
          QueryStillRunning,
          QueryNotRunning,
          QueryNotTerminated,
          QueryAlreadyTerminated,
          ConnectorInvalidStatus,
          ShardReaderConflictOffset ->
          Status.FAILED_PRECONDITION;
      case InternalError, WrongServer, UNRECOGNIZED -> Status.INTERNAL;
      case ConnectorUnimplemented -> Status.UNIMPLEMENTED;
      default -> Status.INVALID_ARGUMENT;
    };
  }

  private static StatusRuntimeException status(Status status, ErrorCode code, String message) {
    return status.withDescription(jsonBody(code, message)).asRuntimeException();
  }

  /**
   * The JSON body HStreamDB clients parse. A message longer than {@link #MAX_MESSAGE_CHARS} is cut
   * there: it travels in an HTTP/2 header, and one too large for the client's header limit (8 KiB
   * by default) would reach it as an INTERNAL transport error instead of the status.
   */
  static String jsonBody(ErrorCode code, String message) {
    int number = code == ErrorCode.UNRECOGNIZED ? 0 : code.getNumber();
    String text =
        message.length() <= MAX_MESSAGE_CHARS
            ? message
            : message.substring(0, MAX_MESSAGE_CHARS)
                + "… ("
                + (message.length() - MAX_MESSAGE_CHARS)
                + " more characters)";
    return "{\"error\":" + number + ",\"message\":\"" + escape(text) + "\"}";
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
