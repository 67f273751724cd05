package io.inlet.server.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Answers unary calls, turning every failure into a status through {@link GrpcErrors}. */
final class Calls {
  private Calls() {}

  static <T> void unary(StreamObserver<T> observer, Supplier<T> body) {
    T response;
    try {
      response = body.get();
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  static <T> void async(StreamObserver<T> observer, Supplier<CompletableFuture<T>> body) {
    CompletableFuture<T> future;
    try {
      future = body.get();
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
      return;
    }
    future.whenComplete(
        (response, failure) -> {
          if (failure != null) {
            observer.onError(GrpcErrors.toStatus(failure));
          } else {
            observer.onNext(response);
            observer.onCompleted();
          }
        });
  }
}
