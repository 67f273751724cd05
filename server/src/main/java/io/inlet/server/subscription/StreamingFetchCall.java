package io.inlet.server.subscription;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.server.grpc.GrpcErrors;

/**
 * One StreamingFetch call. The first request names the subscription and the consumer and joins it;
 * every request (the first included) may carry acknowledgements. The consumer leaves when the
 * client cancels, fails or finishes its request stream (then the response stream completes too).
 *
 * <p>gRPC delivers this observer's callbacks and the cancel handler one at a time.
 */
final class StreamingFetchCall implements StreamObserver<StreamingFetchRequest> {
  private final SubscriptionRegistry registry;
  private final ServerCallStreamObserver<StreamingFetchResponse> responses;
  private final CallerInfo caller;

  private volatile SubscriptionDispatcher dispatcher;
  private ConsumerSession consumer;
  private boolean finished;

  /** Must run inside the service method: gRPC accepts the handlers only then. */
  StreamingFetchCall(
      SubscriptionRegistry registry, ServerCallStreamObserver<StreamingFetchResponse> responses) {
    this.registry = registry;
    this.responses = responses;
    this.caller = CallerInfo.current();
    responses.setOnCancelHandler(() -> leave(false));
    responses.setOnReadyHandler(
        () -> {
          SubscriptionDispatcher d = dispatcher;
          if (d != null) {
            d.requestPump();
          }
        });
  }

  @Override
  public void onNext(StreamingFetchRequest request) {
    if (finished) {
      return;
    }
    if (consumer == null && !join(request)) {
      return;
    }
    if (request.getAckIdsCount() > 0) {
      dispatcher.acknowledge(request.getAckIdsList());
    }
  }

  @Override
  public void onError(Throwable t) {
    leave(false);
  }

  @Override
  public void onCompleted() {
    if (consumer == null && !finished) {
      finished = true;
      responses.onCompleted();
      return;
    }
    leave(true);
  }

  private boolean join(StreamingFetchRequest first) {
    try {
      if (first.getConsumerName().isEmpty()) {
        throw GrpcErrors.invalidArgument(
            ErrorCode.InternalError, "StreamingFetch: the first request must name the consumer");
      }
      ConsumerSession session = new ConsumerSession(first.getConsumerName(), caller, responses);
      dispatcher = registry.join(first.getSubscriptionId(), session);
      consumer = session;
      return true;
    } catch (RuntimeException e) {
      finished = true;
      responses.onError(GrpcErrors.toStatus(e));
      return false;
    }
  }

  private void leave(boolean completeStream) {
    if (finished) {
      return;
    }
    finished = true;
    if (consumer != null) {
      dispatcher.remove(
          consumer, completeStream ? ConsumerSession::complete : ConsumerSession::markEnded);
    }
  }
}
