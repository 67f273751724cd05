package io.inlet.server.grpc;

import com.google.protobuf.Empty;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.CreateShardReaderRequest;
import io.inlet.api.hstream.CreateShardReaderResponse;
import io.inlet.api.hstream.DeleteShardReaderRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListShardReadersRequest;
import io.inlet.api.hstream.ListShardReadersResponse;
import io.inlet.api.hstream.LookupShardReaderRequest;
import io.inlet.api.hstream.LookupShardReaderResponse;
import io.inlet.api.hstream.ReadShardRequest;
import io.inlet.api.hstream.ReadShardResponse;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReadShardStreamResponse;
import io.inlet.api.hstream.ReadSingleShardStreamRequest;
import io.inlet.api.hstream.ReadSingleShardStreamResponse;
import io.inlet.api.hstream.ReadStreamByKeyRequest;
import io.inlet.api.hstream.ReadStreamByKeyResponse;
import io.inlet.api.hstream.ReadStreamRequest;
import io.inlet.api.hstream.ReadStreamResponse;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.store.ReaderInfo;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Shard readers and streaming reads: CreateShardReader, LookupShardReader, ReadShard,
 * ListShardReaders, DeleteShardReader, ReadShardStream, ReadSingleShardStream, ReadStream and
 * ReadStreamByKey. {@link #close} ends every streaming read with UNAVAILABLE.
 */
public final class ReaderRpcs implements RpcGroup, AutoCloseable {
  private final StreamStore store;
  private final LocalNode node;
  private final Executor executor;
  private final ScheduledExecutorService timer;
  private final ShardReaders readers;
  private final Set<Object> live = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public ReaderRpcs(StreamStore store, LocalNode node, Executor executor) {
    this.store = store;
    this.node = node;
    this.executor = executor;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "inlet-read-timer");
              t.setDaemon(true);
              return t;
            });
    this.readers = new ShardReaders(store, executor, timer);
  }

  @Override
  public Set<MethodDescriptor<?, ?>> methods() {
    return Set.of(
        HStreamApiGrpc.getCreateShardReaderMethod(),
        HStreamApiGrpc.getLookupShardReaderMethod(),
        HStreamApiGrpc.getReadShardMethod(),
        HStreamApiGrpc.getListShardReadersMethod(),
        HStreamApiGrpc.getDeleteShardReaderMethod(),
        HStreamApiGrpc.getReadShardStreamMethod(),
        HStreamApiGrpc.getReadSingleShardStreamMethod(),
        HStreamApiGrpc.getReadStreamMethod(),
        HStreamApiGrpc.getReadStreamByKeyMethod());
  }

  @Override
  public void createShardReader(
      CreateShardReaderRequest request, StreamObserver<CreateShardReaderResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          String id = request.getReaderId();
          if (id.isBlank()) {
            throw new InletException(
                ErrorCode.ShardReaderInvalidObjectIdentifier, "readerId is required");
          }
          if (store.readers().get(id).isPresent()) {
            throw GrpcErrors.alreadyExists(
                ErrorCode.ShardReaderInvalidObjectIdentifier,
                "shard reader \"" + id + "\" already exists");
          }
          shardOf(request.getStreamName(), request.getShardId());
          ReadPosition start =
              Offsets.start(
                  store.log(),
                  request.getShardId(),
                  request.hasShardOffset() ? request.getShardOffset() : null);
          ReaderInfo info =
              store
                  .readers()
                  .create(
                      new ReaderInfo(
                          id,
                          request.getStreamName(),
                          request.getShardId(),
                          start.lsn(),
                          request.getTimeout(),
                          Instant.now()));
          readers.opened(info, start);
          return CreateShardReaderResponse.newBuilder()
              .setStreamName(request.getStreamName())
              .setShardId(request.getShardId())
              .setShardOffset(request.getShardOffset())
              .setReaderId(id)
              .setTimeout(request.getTimeout())
              .build();
        });
  }

  @Override
  public void lookupShardReader(
      LookupShardReaderRequest request, StreamObserver<LookupShardReaderResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          if (store.readers().get(request.getReaderId()).isEmpty()) {
            throw ShardReaders.notFound(request.getReaderId());
          }
          return LookupShardReaderResponse.newBuilder()
              .setReaderId(request.getReaderId())
              .setServerNode(node.toServerNode())
              .build();
        });
  }

  @Override
  public void readShard(ReadShardRequest request, StreamObserver<ReadShardResponse> observer) {
    Calls.async(
        observer,
        () ->
            readers
                .read(request.getReaderId(), request.getMaxRecords())
                .thenApply(
                    records ->
                        ReadShardResponse.newBuilder().addAllReceivedRecords(records).build()));
  }

  @Override
  public void listShardReaders(
      ListShardReadersRequest request, StreamObserver<ListShardReadersResponse> observer) {
    Calls.unary(
        observer,
        () ->
            ListShardReadersResponse.newBuilder()
                .addAllReaderId(store.readers().list().stream().map(ReaderInfo::readerId).toList())
                .build());
  }

  @Override
  public void deleteShardReader(DeleteShardReaderRequest request, StreamObserver<Empty> observer) {
    Calls.unary(
        observer,
        () -> {
          if (!store.readers().delete(request.getReaderId())) {
            throw ShardReaders.notFound(request.getReaderId());
          }
          readers.deleted(request.getReaderId());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void readShardStream(
      ReadShardStreamRequest request, StreamObserver<ReadShardStreamResponse> observer) {
    stream(
        observer,
        () -> {
          ShardInfo shard = shardById(request.getShardId());
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
            ReadPosition start =
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
    ReadPosition start = Offsets.start(store.log(), shardId, from);
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

  private ShardInfo shardOf(String streamName, long shardId) {
    ShardInfo shard = shardById(shardId);
    if (!shard.streamName().equals(streamName)) {
      stream(streamName);
      throw GrpcErrors.notFound(
          ErrorCode.StreamNotFound,
          "shard "
              + Long.toUnsignedString(shardId)
              + " does not belong to stream \""
              + streamName
              + "\"");
    }
    return shard;
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
