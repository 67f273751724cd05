package io.inlet.server.subscription;

/**
 * A consumer joined a subscription under a name another connected consumer already uses. The gRPC
 * edge answers ALREADY_EXISTS ({@link io.inlet.server.grpc.GrpcErrors}).
 */
public final class ConsumerAlreadyConnectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConsumerAlreadyConnectedException(String consumer, String subscriptionId) {
    super(
        "consumer \""
            + consumer
            + "\" is already connected to subscription \""
            + subscriptionId
            + "\"");
  }
}
