package io.inlet.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ReadStreamByKeyRequest;
import io.inlet.api.hstream.ReadStreamByKeyResponse;
import io.inlet.server.concurrent.SerialExecutor;
import io.inlet.server.grpc.Batches.KeyedRecord;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * ReadStreamByKey: the first request opens a read of the shard that owns the key; each request's
 * {@code readRecordCount} grants that many more records. Only records whose key equals the
 * requested key go out. Without {@code until} the read ends at the shard's last record when it
 * opened (as HStreamDB's does). State is confined to a {@link SerialExecutor}.
 */
final class KeyedRead implements StreamObserver<ReadStreamByKeyRequest> {
  private static final int BATCHES_PER_POLL = 5;

  private final StreamStore store;
  private final ServerCallStreamObserver<ReadStreamByKeyResponse> observer;
  private final SerialExecutor serial;
  private final Consumer<KeyedRead> onEnd;
  private final Deque<KeyedRecord> buffer = new ArrayDeque<>();
  private ShardCursor cursor;
  private String key;
  private long credit;
  private boolean clientDone;
  private final CallEnding ending;
  private boolean waiting;

  KeyedRead(
      StreamStore store,
      ServerCallStreamObserver<ReadStreamByKeyResponse> observer,
      Executor executor,
      Consumer<KeyedRead> onEnd) {
    this.store = store;
    this.observer = observer;
    this.serial = new SerialExecutor(executor);
    this.onEnd = onEnd;
    this.ending = new CallEnding(observer, () -> onEnd.accept(this));
    observer.setOnCancelHandler(() -> serial.execute(() -> end(null, false)));
  }

  @Override
  public void onNext(ReadStreamByKeyRequest request) {
    serial.execute(
        () -> {
          if (ending.ended()) {
            return;
          }
          try {
            if (cursor == null) {
              open(request);
            }
            credit += request.getReadRecordCount();
            pump();
          } catch (RuntimeException e) {
            end(GrpcErrors.toStatus(e), true);
          }
        });
  }

  @Override
  public void onError(Throwable t) {
    serial.execute(() -> end(null, false));
  }

  @Override
  public void onCompleted() {
    serial.execute(
        () -> {
          clientDone = true;
          if (cursor == null) {
            end(null, true);
          } else {
            pump();
          }
        });
  }

  void abort(RuntimeException status) {
    serial.execute(() -> end(status, true));
  }

  private void open(ReadStreamByKeyRequest request) {
    String streamName = request.getStreamName();
    store.streams().get(streamName).orElseThrow(() -> InletException.streamNotFound(streamName));
    key = request.getKey();
    ShardInfo shard = store.streams().shardForKey(streamName, key);
    long shardId = shard.shardId();
    RecordPosition start =
        Offsets.start(store.log(), shardId, request.hasFrom() ? request.getFrom() : null);
    ReadBound until =
        request.hasUntil()
            ? Offsets.until(store.log(), shardId, request.getUntil())
            : ReadBound.batch(store.log().position(shardId).lastLsn());
    Offsets.checkRange(start, until);
    cursor = new ShardCursor(shardId, start, until);
  }

  private void pump() {
    if (ending.ended() || waiting || cursor == null) {
      return;
    }
    try {
      while (credit > 0) {
        if (buffer.isEmpty()) {
          var slices = cursor.next(store.log(), BATCHES_PER_POLL, Long.MAX_VALUE);
          for (ShardCursor.Slice s : slices) {
            for (KeyedRecord r : Batches.decode(s.batch(), s.from(), s.to())) {
              if (r.record().getHeader().getKey().equals(key)) {
                buffer.add(r);
              }
            }
          }
          if (slices.isEmpty()) {
            if (cursor.done()) {
              end(null, true);
            } else {
              waitForData();
            }
            return;
          }
          continue;
        }
        ReadStreamByKeyResponse.Builder out = ReadStreamByKeyResponse.newBuilder();
        while (credit > 0 && !buffer.isEmpty()) {
          KeyedRecord r = buffer.poll();
          out.addRecordIds(r.id()).addReceivedRecords(r.record());
          credit--;
        }
        observer.onNext(out.build());
      }
      if (buffer.isEmpty() && cursor.done()) {
        end(null, true);
      } else if (clientDone) {
        end(null, true);
      }
    } catch (RuntimeException e) {
      end(GrpcErrors.toStatus(e), true);
    }
  }

  private void waitForData() {
    waiting = true;
    store
        .log()
        .awaitBeyond(cursor.shardId(), cursor.lastSeenLsn())
        .whenComplete(
            (v, failure) ->
                serial.execute(
                    () -> {
                      waiting = false;
                      if (failure != null) {
                        end(GrpcErrors.toStatus(failure), true);
                      } else {
                        pump();
                      }
                    }));
  }

  private void end(RuntimeException status, boolean notify) {
    ending.end(status, notify);
  }
}
