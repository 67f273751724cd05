package io.inlet.server.grpc;

import com.google.protobuf.Empty;
import io.grpc.MethodDescriptor;
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
import io.inlet.store.ReaderInfo;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Shard readers: CreateShardReader, LookupShardReader, ReadShard, ListShardReaders and
 * DeleteShardReader. ReadShard's {@code maxRecords} counts batches, as HStreamDB's does ({@link
 * ShardReaders}). {@link #close} ends ReadShard calls waiting for data with UNAVAILABLE.
 */
public final class ReaderRpcs implements RpcGroup, AutoCloseable {
  private final StreamStore store;
  private final LocalNode node;
  private final ScheduledExecutorService timer;
  private final ShardReaders readers;

  public ReaderRpcs(StreamStore store, LocalNode node, Executor executor) {
    this.store = store;
    this.node = node;
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
        HStreamApiGrpc.getDeleteShardReaderMethod());
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
          RecordPosition start =
              Offsets.start(
                  store.log(),
                  request.getShardId(),
                  request.hasShardOffset() ? request.getShardOffset() : null);
          store
              .readers()
              .create(
                  new ReaderInfo(
                      id,
                      request.getStreamName(),
                      request.getShardId(),
                      start.lsn(),
                      request.getTimeout(),
                      Instant.now(),
                      start.lsn(),
                      start.index()));
          return CreateShardReaderResponse.newBuilder()
              .setStreamName(request.getStreamName())
              .setShardId(request.getShardId())
              .setShardOffset(request.getShardOffset())
              .setReaderId(id)
              .setTimeout(request.getTimeout())
              .build();
        });
  }

  /**
   * Answers with this node for any reader id, created or not: HStreamDB assigns a node to a reader
   * id on its first lookup, and hstreamdb-java's StreamShardReader looks up a fresh id before it
   * reads.
   */
  @Override
  public void lookupShardReader(
      LookupShardReaderRequest request, StreamObserver<LookupShardReaderResponse> observer) {
    Calls.unary(
        observer,
        () ->
            LookupShardReaderResponse.newBuilder()
                .setReaderId(request.getReaderId())
                .setServerNode(node.toServerNode())
                .build());
  }

  @Override
  public void readShard(ReadShardRequest request, StreamObserver<ReadShardResponse> observer) {
    Calls.async(
        observer,
        () ->
            readers
                .read(request.getReaderId(), Integer.toUnsignedLong(request.getMaxRecords()))
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

  private StreamInfo stream(String name) {
    return store.streams().get(name).orElseThrow(() -> InletException.streamNotFound(name));
  }

  private ShardInfo shardOf(String streamName, long shardId) {
    return store.streams().shardOf(streamName, shardId);
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

  /** Fails ReadShard calls waiting for data; idempotent. */
  @Override
  public void close() {
    readers.close();
    timer.shutdownNow();
  }
}
