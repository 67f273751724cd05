package io.inlet.sql.engine;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.error.InletException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.GetStreamRequest;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ListStreamsRequest;
import io.inlet.api.hstream.Shard;
import io.inlet.api.hstream.Stream;
import io.inlet.api.record.PartitionKeys;
import io.inlet.api.record.RecordBatches;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node's streams through its own gRPC API (an in-process channel): the SQL statements that
 * create, list, delete and write streams take the same path, checks and errors as a client's call.
 */
final class NodeStreams {
  private final Channel channel;

  NodeStreams(Channel channel) {
    this.channel = channel;
  }

  private HStreamApiGrpc.HStreamApiBlockingStub stub() {
    return HStreamApiGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  void create(String name, int replicationFactor, int backlogSeconds) {
    call(
        () ->
            stub()
                .createStream(
                    Stream.newBuilder()
                        .setStreamName(name)
                        .setReplicationFactor(Math.max(1, replicationFactor))
                        .setBacklogDuration(backlogSeconds)
                        .setShardCount(1)
                        .build()));
  }

  boolean exists(String name) {
    try {
      stub().getStream(GetStreamRequest.newBuilder().setName(name).build());
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  void delete(String name, boolean ignoreNonExist) {
    call(
        () ->
            stub()
                .deleteStream(
                    DeleteStreamRequest.newBuilder()
                        .setStreamName(name)
                        .setIgnoreNonExist(ignoreNonExist)
                        .setForce(true)
                        .build()));
  }

  List<Stream> list() {
    return call(() -> stub().listStreams(ListStreamsRequest.getDefaultInstance()).getStreamsList());
  }

  /** Appends one record to the shard owning the default partition key; durable on return. */
  void append(String stream, HStreamRecord record) {
    call(
        () -> {
          List<Shard> shards =
              stub()
                  .listShards(ListShardsRequest.newBuilder().setStreamName(stream).build())
                  .getShardsList();
          BigInteger key = PartitionKeys.hash(PartitionKeys.DEFAULT_KEY);
          long shardId = shards.isEmpty() ? 0 : shards.get(0).getShardId();
          for (Shard s : shards) {
            if (key.compareTo(new BigInteger(s.getStartHashRangeKey())) >= 0
                && key.compareTo(new BigInteger(s.getEndHashRangeKey())) <= 0) {
              shardId = s.getShardId();
            }
          }
          return stub()
              .append(
                  AppendRequest.newBuilder()
                      .setStreamName(stream)
                      .setShardId(shardId)
                      .setRecords(RecordBatches.encode(List.of(record), CompressionType.None))
                      .build());
        });
  }

  private interface Call<T> {
    T run();
  }

  /** The node's own refusal passes through as it is; the RPC layer sends its status on. */
  private static <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (StatusRuntimeException e) {
      throw new NodeCallException(e);
    }
  }

  /** A call to the node's own API that it refused, with the status to pass to the client. */
  public static final class NodeCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final StatusRuntimeException status;

    NodeCallException(StatusRuntimeException status) {
      super(status.getStatus().getDescription(), status);
      this.status = status;
    }

    public StatusRuntimeException status() {
      return status;
    }
  }

  static InletException notFound(String stream) {
    return new InletException(ErrorCode.StreamNotFound, "stream \"" + stream + "\" not found");
  }
}
