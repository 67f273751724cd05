package io.inlet.server.subscription;

import io.grpc.stub.ServerCallStreamObserver;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.server.grpc.GrpcErrors;
import java.util.ArrayList;
import java.util.List;

/**
 * One consumer connected through StreamingFetch: its name, where it connects from, and the response
 * stream records go out on. Every call on the response stream after the consumer joined happens on
 * its subscription's lane, which is what gRPC requires (one caller at a time).
 */
final class ConsumerSession {
  final String name;
  final String uri;
  final String userAgent;
  private final ServerCallStreamObserver<StreamingFetchResponse> responses;

  /** The shards this consumer owns; lane only. */
  final List<ShardDelivery> shards = new ArrayList<>(4);

  /** The response stream was ended (by us or by the client); lane only. */
  private boolean ended;

  ConsumerSession(
      String name, CallerInfo caller, ServerCallStreamObserver<StreamingFetchResponse> responses) {
    this.name = name;
    this.uri = caller.uri();
    this.userAgent = caller.userAgent();
    this.responses = responses;
  }

  /** Whether the transport takes more messages now; false once ended. */
  boolean isReady() {
    return !ended && responses.isReady();
  }

  /**
   * Sends one response.
   *
   * @return false when the stream is gone (the client cancelled); the consumer is then leaving
   */
  boolean send(StreamingFetchResponse response) {
    if (ended) {
      return false;
    }
    try {
      responses.onNext(response);
      return true;
    } catch (RuntimeException e) {
      // gRPC throws once the call is cancelled; the cancel handler makes the consumer leave.
      ended = true;
      return false;
    }
  }

  /** Ends the response stream with the failure's status; idempotent. */
  void fail(Throwable failure) {
    if (!ended) {
      ended = true;
      try {
        responses.onError(GrpcErrors.toStatus(failure));
      } catch (RuntimeException ignored) {
        // Already cancelled by the client.
      }
    }
  }

  /** Ends the response stream normally (the client finished its request stream); idempotent. */
  void complete() {
    if (!ended) {
      ended = true;
      try {
        responses.onCompleted();
      } catch (RuntimeException ignored) {
        // Already cancelled by the client.
      }
    }
  }

  /** Marks the stream gone without touching it (the client cancelled). */
  void markEnded() {
    ended = true;
  }

  @Override
  public String toString() {
    return name + "@" + uri;
  }
}
