package io.inlet.server.cluster;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.inlet.api.cluster.AwaitBeyondRequest;
import io.inlet.api.cluster.AwaitBeyondResponse;
import io.inlet.api.cluster.LsnAtOrAfterRequest;
import io.inlet.api.cluster.LsnAtOrAfterResponse;
import io.inlet.api.cluster.ReadEntriesRequest;
import io.inlet.api.cluster.ReadEntriesResponse;
import io.inlet.api.cluster.ShardPositionRequest;
import io.inlet.api.cluster.ShardPositionResponse;
import io.inlet.api.cluster.ShardReadsGrpc;
import io.inlet.api.cluster.StoredShardEntry;
import io.inlet.api.cluster.TrimBeforeRequest;
import io.inlet.api.cluster.TrimBeforeResponse;
import io.inlet.store.ShardLog;
import io.inlet.store.ShardPosition;
import io.inlet.store.StoreException;
import io.inlet.store.StoredEntry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The holder's side of {@code inlet.cluster.v1.ShardReads}: another node reads a shard this node
 * holds, from this node's own log ({@code held}: never forwarded again). A shard this node does not
 * have is NOT_FOUND; any other failure is UNAVAILABLE with its message.
 */
final class ShardReadsService extends ShardReadsGrpc.ShardReadsImplBase implements AutoCloseable {
  /** Longest an AwaitBeyond call is held open, whatever the caller asks. */
  static final int MAX_WAIT_MS = 30_000;

  private final ShardLog held;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "inlet-shard-reads-timer");
            thread.setDaemon(true);
            return thread;
          });

  ShardReadsService(ShardLog held) {
    this.held = held;
  }

  @Override
  public void read(ReadEntriesRequest request, StreamObserver<ReadEntriesResponse> response) {
    answer(
        response,
        () -> {
          ReadEntriesResponse.Builder entries = ReadEntriesResponse.newBuilder();
          for (StoredEntry stored :
              held.read(request.getShardId(), request.getFromLsn(), request.getMaxEntries())) {
            entries.addEntries(
                StoredShardEntry.newBuilder()
                    .setLsn(stored.lsn())
                    .setAppendTimeMs(stored.appendTimeMs())
                    .setRecordCount(stored.entry().recordCount())
                    .setFormat(stored.entry().format())
                    .setPayload(stored.entry().payload()));
          }
          return entries.build();
        });
  }

  @Override
  public void position(
      ShardPositionRequest request, StreamObserver<ShardPositionResponse> response) {
    answer(
        response,
        () -> {
          ShardPosition position = held.position(request.getShardId());
          return ShardPositionResponse.newBuilder()
              .setFirstLsn(position.firstLsn())
              .setLastLsn(position.lastLsn())
              .build();
        });
  }

  @Override
  public void lsnAtOrAfter(
      LsnAtOrAfterRequest request, StreamObserver<LsnAtOrAfterResponse> response) {
    answer(
        response,
        () ->
            LsnAtOrAfterResponse.newBuilder()
                .setLsn(held.lsnAtOrAfter(request.getShardId(), request.getTimestampMs()))
                .build());
  }

  @Override
  public void awaitBeyond(
      AwaitBeyondRequest request, StreamObserver<AwaitBeyondResponse> response) {
    CompletableFuture<Void> beyond;
    try {
      beyond = held.awaitBeyond(request.getShardId(), request.getLsn());
    } catch (RuntimeException e) {
      response.onError(status(e));
      return;
    }
    CompletableFuture<Boolean> answered = beyond.thenApply(ignored -> true);
    long waitMs = Math.min(Math.max(request.getMaxWaitMs(), 1), MAX_WAIT_MS);
    timer.schedule(() -> answered.complete(false), waitMs, TimeUnit.MILLISECONDS);
    answered.whenComplete(
        (isBeyond, failure) -> {
          if (failure != null) {
            response.onError(status(failure));
          } else {
            response.onNext(AwaitBeyondResponse.newBuilder().setBeyond(isBeyond).build());
            response.onCompleted();
          }
        });
  }

  @Override
  public void trimBefore(TrimBeforeRequest request, StreamObserver<TrimBeforeResponse> response) {
    answer(
        response,
        () -> {
          held.trimBefore(request.getShardId(), request.getLsn());
          return TrimBeforeResponse.getDefaultInstance();
        });
  }

  private static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
    T answer;
    try {
      answer = call.get();
    } catch (RuntimeException e) {
      response.onError(status(e));
      return;
    }
    response.onNext(answer);
    response.onCompleted();
  }

  private static RuntimeException status(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    boolean notHere =
        cause instanceof StoreException e
            && (e.reason() == StoreException.Reason.SHARD_NOT_FOUND
                || e.reason() == StoreException.Reason.STREAM_NOT_FOUND);
    return (notHere ? Status.NOT_FOUND : Status.UNAVAILABLE)
        .withDescription(String.valueOf(cause.getMessage()))
        .asRuntimeException();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
