package io.inlet.server.grpc;

import io.grpc.stub.StreamObserver;

/**
 * How a server-streaming read call ends, once: it runs the owner's clean-up, then (unless the
 * client cancelled) completes the stream or fails it with a status. Confined to the call's serial
 * lane, like the rest of the call's state.
 */
final class CallEnding {
  private final StreamObserver<?> observer;
  private final Runnable cleanUp;
  private boolean ended;

  CallEnding(StreamObserver<?> observer, Runnable cleanUp) {
    this.observer = observer;
    this.cleanUp = cleanUp;
  }

  boolean ended() {
    return ended;
  }

  /**
   * @param status null to complete the stream normally
   * @param notify false when the client already went away (cancelled): nothing is sent
   */
  void end(RuntimeException status, boolean notify) {
    if (ended) {
      return;
    }
    ended = true;
    cleanUp.run();
    if (!notify) {
      return;
    }
    try {
      if (status == null) {
        observer.onCompleted();
      } else {
        observer.onError(status);
      }
    } catch (RuntimeException e) {
      // the call is already closed (cancelled meanwhile)
    }
  }
}
