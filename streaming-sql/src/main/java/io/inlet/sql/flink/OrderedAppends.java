package io.inlet.sql.flink;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.HStreamApiGrpc;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Appends batches to a shard in the order they are given: a batch is sent once the one before it is
 * acknowledged. Append calls in flight together may be stored in any order (each is its own call,
 * served by whichever thread takes it), and a reader of a changelog relies on the order its writer
 * numbered the changes in. The caller does not wait: batches queue here while one is sent. Once an
 * append fails nothing more is sent, so no later batch lands after a missing one; every queued
 * batch fails with it. Thread-safe.
 */
final class OrderedAppends {
  private final HStreamApiGrpc.HStreamApiFutureStub stub;
  private final ArrayDeque<Pending> queued = new ArrayDeque<>();
  private boolean sending; // guarded by this
  private Throwable failure; // guarded by this

  private record Pending(AppendRequest request, CompletableFuture<AppendResponse> result) {}

  OrderedAppends(HStreamApiGrpc.HStreamApiFutureStub stub) {
    this.stub = stub;
  }

  /** Completes when the batch is durable, or with the failure of this or an earlier append. */
  CompletableFuture<AppendResponse> append(AppendRequest request) {
    Pending pending = new Pending(request, new CompletableFuture<>());
    synchronized (this) {
      if (failure != null) {
        pending.result().completeExceptionally(notSent(failure));
        return pending.result();
      }
      if (sending) {
        queued.add(pending);
        return pending.result();
      }
      sending = true;
    }
    send(pending);
    return pending.result();
  }

  private void send(Pending pending) {
    Futures.addCallback(
        stub.append(pending.request()),
        new FutureCallback<>() {
          @Override
          public void onSuccess(AppendResponse response) {
            pending.result().complete(response);
            sendNext(null);
          }

          @Override
          public void onFailure(Throwable t) {
            pending.result().completeExceptionally(t);
            sendNext(t);
          }
        },
        MoreExecutors.directExecutor());
  }

  private void sendNext(Throwable failed) {
    Pending next;
    List<Pending> dropped = List.of();
    Throwable cause;
    synchronized (this) {
      if (failed != null && failure == null) {
        failure = failed;
      }
      cause = failure;
      if (cause != null) {
        dropped = new ArrayList<>(queued);
        queued.clear();
        next = null;
      } else {
        next = queued.poll();
      }
      sending = next != null;
    }
    for (Pending p : dropped) {
      p.result().completeExceptionally(notSent(cause));
    }
    if (next != null) {
      send(next);
    }
  }

  private static IllegalStateException notSent(Throwable cause) {
    return new IllegalStateException(
        "not sent: an earlier append failed (" + cause.getMessage() + ")", cause);
  }
}
