package io.inlet.server.grpc;

import com.google.protobuf.Empty;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import io.inlet.api.append.AppendResult;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.EchoRequest;
import io.inlet.api.hstream.EchoResponse;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.GetStreamRequest;
import io.inlet.api.hstream.GetStreamResponse;
import io.inlet.api.hstream.GetTailRecordIdRequest;
import io.inlet.api.hstream.GetTailRecordIdResponse;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ListShardsResponse;
import io.inlet.api.hstream.ListStreamsRequest;
import io.inlet.api.hstream.ListStreamsResponse;
import io.inlet.api.hstream.ListStreamsWithPrefixRequest;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.Stream;
import io.inlet.api.hstream.StreamOffset;
import io.inlet.api.hstream.TrimShardRequest;
import io.inlet.api.hstream.TrimShardsRequest;
import io.inlet.api.hstream.TrimShardsResponse;
import io.inlet.api.hstream.TrimStreamRequest;
import io.inlet.store.ShardInfo;
import io.inlet.store.ShardPosition;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Streams, shards and appends: Echo, CreateStream, DeleteStream, GetStream, ListStreams,
 * ListStreamsWithPrefix, TrimStream, TrimShard, TrimShards, GetTailRecordId, ListShards, Append.
 */
public final class StreamRpcs implements RpcGroup {
  private final StreamStore store;
  private final ClientAppends appends;

  /** Where Append hands a client's batch: it checks the whole batch before storing it. */
  @FunctionalInterface
  public interface ClientAppends {
    /** Completes as {@link StreamAppender#append} does. */
    CompletableFuture<AppendResult> append(String streamName, long shardId, BatchedRecord batch);
  }

  public StreamRpcs(StreamStore store, ClientAppends appends) {
    this.store = store;
    this.appends = appends;
  }

  @Override
  public Set<MethodDescriptor<?, ?>> methods() {
    return Set.of(
        HStreamApiGrpc.getEchoMethod(),
        HStreamApiGrpc.getCreateStreamMethod(),
        HStreamApiGrpc.getDeleteStreamMethod(),
        HStreamApiGrpc.getGetStreamMethod(),
        HStreamApiGrpc.getListStreamsMethod(),
        HStreamApiGrpc.getListStreamsWithPrefixMethod(),
        HStreamApiGrpc.getTrimStreamMethod(),
        HStreamApiGrpc.getTrimShardMethod(),
        HStreamApiGrpc.getTrimShardsMethod(),
        HStreamApiGrpc.getGetTailRecordIdMethod(),
        HStreamApiGrpc.getListShardsMethod(),
        HStreamApiGrpc.getAppendMethod());
  }

  @Override
  public void echo(EchoRequest request, StreamObserver<EchoResponse> observer) {
    Calls.unary(observer, () -> EchoResponse.newBuilder().setMsg(request.getMsg()).build());
  }

  @Override
  public void createStream(Stream request, StreamObserver<Stream> observer) {
    Calls.unary(
        observer,
        () -> {
          requirePositive("shardCount", request.getShardCount(), ErrorCode.StreamInvalidShardCount);
          requirePositive(
              "replicationFactor",
              request.getReplicationFactor(),
              ErrorCode.StreamInvalidReplicaFactor);
          return StreamMessages.toStream(store.streams().create(StreamMessages.toSpec(request)));
        });
  }

  /** A uint32 field from 1 to Integer.MAX_VALUE (beyond, it reads as negative here). */
  private static void requirePositive(String field, int value, ErrorCode code) {
    if (value == 0) {
      throw new InletException(code, field + " must be at least 1, found: 0");
    }
    if (value < 0) {
      throw new InletException(
          code, field + " is too large, found: " + Integer.toUnsignedString(value));
    }
  }

  @Override
  public void deleteStream(DeleteStreamRequest request, StreamObserver<Empty> observer) {
    Calls.unary(
        observer,
        () -> {
          boolean existed = store.streams().delete(request.getStreamName(), request.getForce());
          if (!existed && !request.getIgnoreNonExist()) {
            throw InletException.streamNotFound(request.getStreamName());
          }
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void getStream(GetStreamRequest request, StreamObserver<GetStreamResponse> observer) {
    Calls.unary(
        observer,
        () ->
            GetStreamResponse.newBuilder()
                .setStream(StreamMessages.toStream(stream(request.getName())))
                .build());
  }

  @Override
  public void listStreams(
      ListStreamsRequest request, StreamObserver<ListStreamsResponse> observer) {
    Calls.unary(observer, () -> list(""));
  }

  @Override
  public void listStreamsWithPrefix(
      ListStreamsWithPrefixRequest request, StreamObserver<ListStreamsResponse> observer) {
    Calls.unary(observer, () -> list(request.getPrefix()));
  }

  private ListStreamsResponse list(String prefix) {
    ListStreamsResponse.Builder out = ListStreamsResponse.newBuilder();
    for (StreamInfo info : store.streams().list(prefix)) {
      out.addStreams(StreamMessages.toStream(info));
    }
    return out.build();
  }

  @Override
  public void listShards(ListShardsRequest request, StreamObserver<ListShardsResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          ListShardsResponse.Builder out = ListShardsResponse.newBuilder();
          for (ShardInfo shard : stream(request.getStreamName()).shards()) {
            out.addShards(StreamMessages.toShard(shard));
          }
          return out.build();
        });
  }

  @Override
  public void getTailRecordId(
      GetTailRecordIdRequest request, StreamObserver<GetTailRecordIdResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          ShardInfo shard = shard(request.getStreamName(), request.getShardId());
          ShardPosition position = store.log().position(shard.shardId());
          RecordId.Builder tail = RecordId.newBuilder().setShardId(shard.shardId());
          if (!position.isEmpty()) {
            int size =
                store.log().read(shard.shardId(), position.lastLsn(), 1).stream()
                    .filter(b -> b.lsn() == position.lastLsn())
                    .mapToInt(Batches::size)
                    .findFirst()
                    .orElse(1);
            tail.setBatchId(position.lastLsn()).setBatchIndex(Math.max(0, size - 1));
          }
          return GetTailRecordIdResponse.newBuilder().setTailRecordId(tail).build();
        });
  }

  @Override
  public void trimStream(TrimStreamRequest request, StreamObserver<Empty> observer) {
    Calls.unary(
        observer,
        () -> {
          StreamInfo stream = stream(request.getStreamName());
          StreamOffset point = request.getTrimPoint();
          for (ShardInfo shard : stream.shards()) {
            trimBefore(shard.shardId(), Offsets.start(store.log(), shard.shardId(), point).lsn());
          }
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void trimShard(TrimShardRequest request, StreamObserver<Empty> observer) {
    Calls.unary(
        observer,
        () -> {
          ShardInfo shard = shard(request.getStreamName(), request.getShardId());
          long lsn = Offsets.start(store.log(), shard.shardId(), request.getTrimPoint()).lsn();
          trimBefore(shard.shardId(), lsn);
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void trimShards(TrimShardsRequest request, StreamObserver<TrimShardsResponse> observer) {
    Calls.unary(
        observer,
        () -> {
          StreamInfo stream = stream(request.getStreamName());
          Map<Long, RecordId> oldest = new HashMap<>();
          for (String text : request.getRecordIdsList()) {
            RecordId id = Offsets.parse(text);
            store.streams().shardOf(stream.name(), id.getShardId());
            oldest.merge(id.getShardId(), id, StreamRpcs::older);
          }
          TrimShardsResponse.Builder out = TrimShardsResponse.newBuilder();
          for (Map.Entry<Long, RecordId> point : oldest.entrySet()) {
            trimBefore(point.getKey(), point.getValue().getBatchId());
            out.putTrimPoints(point.getKey(), Offsets.format(point.getValue()));
          }
          return out.build();
        });
  }

  private static RecordId older(RecordId a, RecordId b) {
    int byBatch = Long.compareUnsigned(a.getBatchId(), b.getBatchId());
    if (byBatch != 0) {
      return byBatch < 0 ? a : b;
    }
    return Integer.compareUnsigned(a.getBatchIndex(), b.getBatchIndex()) <= 0 ? a : b;
  }

  /** Deletes every batch before {@code lsn}; never past the end of the shard. */
  private void trimBefore(long shardId, long lsn) {
    ShardPosition position = store.log().position(shardId);
    long until = Math.min(lsn, position.lastLsn() + 1);
    if (until > position.firstLsn()) {
      store.log().trimBefore(shardId, until);
    }
  }

  @Override
  public void append(AppendRequest request, StreamObserver<AppendResponse> observer) {
    Calls.async(
        observer,
        () -> {
          return appends
              .append(request.getStreamName(), request.getShardId(), request.getRecords())
              .thenApply(
                  result ->
                      AppendResponse.newBuilder()
                          .setStreamName(result.streamName())
                          .setShardId(result.shardId())
                          .addAllRecordIds(result.recordIds())
                          .build());
        });
  }

  private StreamInfo stream(String name) {
    return store.streams().get(name).orElseThrow(() -> InletException.streamNotFound(name));
  }

  private ShardInfo shard(String streamName, long shardId) {
    return store.streams().shardOf(streamName, shardId);
  }
}
