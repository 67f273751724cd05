package io.inlet.api.error;

import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.naming.ObjectNames;

/**
 * A request Inlet refuses, with the HStreamDB error code clients understand. The message says what
 * was wrong and names the value, e.g. {@code stream "orders" not found}. The server maps the code
 * to a gRPC status; nothing was changed by the failed request.
 */
public class InletException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public InletException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static InletException streamNotFound(String name) {
    return new InletException(
        ErrorCode.StreamNotFound, "stream " + ObjectNames.quote(name) + " not found");
  }

  public static InletException subscriptionNotFound(String id) {
    return new InletException(
        ErrorCode.SubscriptionNotFound, "subscription " + ObjectNames.quote(id) + " not found");
  }

  public static InletException invalidArgument(ErrorCode code, String message) {
    return new InletException(code, message);
  }
}
