package io.inlet.server.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReadShardStreamResponse;
import io.inlet.api.hstream.ReadSingleShardStreamRequest;
import io.inlet.api.hstream.ReadSingleShardStreamResponse;
import io.inlet.api.hstream.ReadStreamByKeyRequest;
import io.inlet.api.hstream.ReadStreamByKeyResponse;
import io.inlet.api.hstream.ReadStreamRequest;
import io.inlet.api.hstream.ReadStreamResponse;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.store.ShardInfo;
import io.inlet.store.StoreException;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Streaming reads: ReadShardStream, ReadSingleShardStream, ReadStream and ReadStreamByKey. {@link
 * #close} ends every one with UNAVAILABLE.
 */
public final class StreamingReadRpcs implements RpcGroup, AutoCloseable {
  private final StreamStore store;
  private final Executor executor;
  private final ScheduledExecutorService timer;
  private final Set<Object> live = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public StreamingReadRpcs(StreamStore store, Executor executor) {
    this.store = store;
    this.executor = executor;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "inlet-stream-read-timer");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public Set<MethodDescriptor<?, ?>> methods() {
    return Set.of(
        HStreamApiGrpc.getReadShardStreamMethod(),
        HStreamApiGrpc.getReadSingleShardStreamMethod(),
        HStreamApiGrpc.getReadStreamMethod(),
        HStreamApiGrpc.getReadStreamByKeyMethod());
  }

  @Override
  public void readShardStream(
      ReadShardStreamRequest request, StreamObserver<ReadShardStreamResponse> observer) {
    stream(
        observer,
        () -> {
          ShardInfo shard = shardById(request.getShardId());
          if (!request.getStreamName().isEmpty()) {
            try {
              store.streams().shardOf(request.getStreamName(), shard.shardId());
            } catch (StoreException e) {
              // This RPC's own code for it, as HStreamDB v0.20.3 answers.
              throw GrpcErrors.notFound(ErrorCode.StreamShardNotExists, e.getMessage());
            }
          }
          return List.of(
              cursor(
                  shard.shardId(),
                  request.getFrom(),
                  request.hasUntil() ? request.getUntil() : null,
                  true));
        },
        request.getMaxReadBatches(),
        records -> ReadShardStreamResponse.newBuilder().addAllReceivedRecords(records).build());
  }

  @Override
  public void readSingleShardStream(
      ReadSingleShardStreamRequest request,
      StreamObserver<ReadSingleShardStreamResponse> observer) {
    stream(
        observer,
        () -> {
          StreamInfo stream = stream(request.getStreamName());
          if (stream.shardCount() != 1) {
            throw new InletException(
                ErrorCode.ShardReaderTooManyShards,
                "stream \""
                    + stream.name()
                    + "\" has "
                    + stream.shardCount()
                    + " shards; ReadSingleShardStream reads streams of one shard (use ReadStream)");
          }
          long shardId = stream.shards().get(0).shardId();
          return List.of(
              cursor(
                  shardId,
                  request.getFrom(),
                  request.hasUntil() ? request.getUntil() : null,
                  true));
        },
        request.getMaxReadBatches(),
        records ->
            ReadSingleShardStreamResponse.newBuilder().addAllReceivedRecords(records).build());
  }

  @Override
  public void readStream(ReadStreamRequest request, StreamObserver<ReadStreamResponse> observer) {
    stream(
        observer,
        () -> {
          List<ShardCursor> cursors = new ArrayList<>();
          for (ShardInfo shard : stream(request.getStreamName()).shards()) {
            long id = shard.shardId();
            RecordPosition start =
                Offsets.start(store.log(), id, request.hasFrom() ? request.getFrom() : null);
            ReadBound until =
                Offsets.until(store.log(), id, request.hasUntil() ? request.getUntil() : null);
            cursors.add(new ShardCursor(id, start, until));
          }
          return cursors;
        },
        request.getMaxReadBatches(),
        records -> ReadStreamResponse.newBuilder().addAllReceivedRecords(records).build());
  }

  @Override
  public StreamObserver<ReadStreamByKeyRequest> readStreamByKey(
      StreamObserver<ReadStreamByKeyResponse> observer) {
    var call = (ServerCallStreamObserver<ReadStreamByKeyResponse>) observer;
    KeyedRead read = new KeyedRead(store, call, executor, live::remove);
    live.add(read);
    if (closed) {
      read.abort(GrpcErrors.unavailable("the server is shutting down"));
    }
    return read;
  }

  private ShardCursor cursor(long shardId, ShardOffset from, ShardOffset until, boolean check) {
    RecordPosition start = Offsets.start(store.log(), shardId, from);
    ReadBound bound = Offsets.until(store.log(), shardId, until);
    if (check) {
      Offsets.checkRange(start, bound);
    }
    return new ShardCursor(shardId, start, bound);
  }

  private interface CursorFactory {
    List<ShardCursor> open();
  }

  private <T> void stream(
      StreamObserver<T> observer,
      CursorFactory cursors,
      long maxReadBatches,
      java.util.function.Function<List<io.inlet.api.hstream.ReceivedRecord>, T> response) {
    if (closed) {
      observer.onError(GrpcErrors.unavailable("the server is shutting down"));
      return;
    }
    List<ShardCursor> opened;
    try {
      opened = cursors.open();
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
      return;
    }
    StreamingRead<T> read =
        new StreamingRead<>(
            store.log(),
            opened,
            maxReadBatches,
            (ServerCallStreamObserver<T>) observer,
            response,
            executor,
            timer,
            live::remove);
    live.add(read);
    read.start();
  }

  private StreamInfo stream(String name) {
    return store.streams().get(name).orElseThrow(() -> InletException.streamNotFound(name));
  }

  private ShardInfo shardById(long shardId) {
    return store
        .streams()
        .shard(shardId)
        .orElseThrow(
            () ->
                GrpcErrors.notFound(
                    ErrorCode.StreamNotFound,
                    "shard " + Long.toUnsignedString(shardId) + " not found"));
  }

  /** Ends every streaming read with UNAVAILABLE; idempotent. */

  /** Ends every streaming read with UNAVAILABLE; idempotent. */
  @Override
  public void close() {
    closed = true;
    for (Object read : live) {
      RuntimeException status = GrpcErrors.unavailable("the server is shutting down");
      if (read instanceof StreamingRead<?> s) {
        s.abort(status);
      } else if (read instanceof KeyedRead k) {
        k.abort(status);
      }
    }
    timer.shutdownNow();
  }
}
