package io.inlet.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.server.concurrent.SerialExecutor;
import io.inlet.server.concurrent.TailingReader;
import io.inlet.store.ShardLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A server-streaming read over one or more shards (ReadShardStream, ReadSingleShardStream,
 * ReadStream): sends batches as they become durable until every shard reaches its end, {@code
 * maxReadBatches} batches went out, or the client cancels. It sends only while the client's
 * transport is ready and waits for new data with a {@link TailingReader}, holding no thread. Its
 * state is confined to a {@link SerialExecutor}.
 */
final class StreamingRead<T> {
  private static final int BATCHES_PER_POLL = 10;

  private final ShardLog log;
  private final List<ShardCursor> cursors;
  private final ServerCallStreamObserver<T> observer;
  private final Function<List<ReceivedRecord>, T> response;
  private final SerialExecutor serial;
  private final TailingReader tail;
  private long remainingBatches;
  private final CallEnding ending;

  StreamingRead(
      ShardLog log,
      List<ShardCursor> cursors,
      long maxReadBatches,
      ServerCallStreamObserver<T> observer,
      Function<List<ReceivedRecord>, T> response,
      Executor executor,
      ScheduledExecutorService timer,
      Consumer<StreamingRead<?>> onEnd) {
    this.log = log;
    this.cursors = cursors;
    this.remainingBatches = maxReadBatches == 0 ? Long.MAX_VALUE : maxReadBatches;
    this.observer = observer;
    this.response = response;
    this.serial = new SerialExecutor(executor);
    this.tail =
        new TailingReader(
            log, serial, timer, this::pump, failure -> end(GrpcErrors.toStatus(failure), true));
    this.ending = new CallEnding(observer, () -> onEnd.accept(this));
  }

  /** Call from the handler thread before returning. */
  void start() {
    observer.setOnCancelHandler(() -> serial.execute(() -> end(null, false)));
    observer.setOnReadyHandler(() -> serial.execute(this::pump));
    serial.execute(this::pump);
  }

  /** Ends the call with {@code status} (shutdown); safe from any thread. */
  void abort(RuntimeException status) {
    serial.execute(() -> end(status, true));
  }

  private void pump() {
    if (ending.ended() || tail.waiting()) {
      return;
    }
    try {
      while (observer.isReady()) {
        List<ReceivedRecord> out = new ArrayList<>();
        for (ShardCursor cursor : cursors) {
          if (remainingBatches - out.size() <= 0) {
            break;
          }
          int max = (int) Math.min(BATCHES_PER_POLL, remainingBatches - out.size());
          for (ShardCursor.Slice s : cursor.next(log, max, Long.MAX_VALUE)) {
            out.add(Batches.slice(s.batch(), s.from(), s.to()));
          }
        }
        if (!out.isEmpty()) {
          remainingBatches -= out.size();
          observer.onNext(response.apply(out));
        }
        if (remainingBatches <= 0 || cursors.stream().allMatch(ShardCursor::done)) {
          end(null, true);
          return;
        }
        if (out.isEmpty()) {
          waitForData();
          return;
        }
      }
    } catch (RuntimeException e) {
      end(GrpcErrors.toStatus(e), true);
    }
  }

  private void waitForData() {
    List<TailingReader.Position> shards = new ArrayList<>();
    long wakeAt = Long.MAX_VALUE;
    for (ShardCursor cursor : cursors) {
      if (!cursor.done()) {
        shards.add(new TailingReader.Position(cursor.shardId(), cursor.lastSeenLsn()));
        if (cursor.endsAtMs() >= 0) {
          wakeAt = Math.min(wakeAt, cursor.endsAtMs());
        }
      }
    }
    tail.await(shards, wakeAt == Long.MAX_VALUE ? -1 : wakeAt);
  }

  private void end(RuntimeException status, boolean notify) {
    ending.end(status, notify);
  }
}
