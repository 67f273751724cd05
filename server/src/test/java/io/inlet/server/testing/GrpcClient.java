package io.inlet.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.Stream;
import io.inlet.api.hstream.Subscription;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** A real gRPC client of a test node, with helpers for the common steps and error checks. */
public final class GrpcClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  public final ManagedChannel channel;
  public final HStreamApiGrpc.HStreamApiBlockingStub blocking;
  public final HStreamApiGrpc.HStreamApiStub async;

  public GrpcClient(int port) {
    this("127.0.0.1", port);
  }

  public GrpcClient(String host, int port) {
    this(
        NettyChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .build());
  }

  /** A client over {@code channel} (e.g. one with TLS); {@link #close} shuts it down. */
  public GrpcClient(ManagedChannel channel) {
    this.channel = channel;
    blocking = HStreamApiGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    async = HStreamApiGrpc.newStub(channel);
  }

  /** A blocking stub with a fresh 30 s deadline. */
  public HStreamApiGrpc.HStreamApiBlockingStub stub() {
    return HStreamApiGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public Stream createStream(String name, int shards) {
    return createReplicatedStream(name, shards, 1);
  }

  public Stream createStream(String name, int shards, int backlogSeconds) {
    return stub()
        .createStream(
            Stream.newBuilder()
                .setStreamName(name)
                .setShardCount(shards)
                .setReplicationFactor(1)
                .setBacklogDuration(backlogSeconds)
                .build());
  }

  public Stream createReplicatedStream(String name, int shards, int replicationFactor) {
    return stub()
        .createStream(
            Stream.newBuilder()
                .setStreamName(name)
                .setShardCount(shards)
                .setReplicationFactor(replicationFactor)
                .build());
  }

  /** A subscription from the earliest record. */
  public Subscription subscribe(
      String id, String stream, int ackTimeoutSeconds, int maxUnackedRecords) {
    return stub()
        .createSubscription(
            Subscription.newBuilder()
                .setSubscriptionId(id)
                .setStreamName(stream)
                .setAckTimeoutSeconds(ackTimeoutSeconds)
                .setMaxUnackedRecords(maxUnackedRecords)
                .setOffset(SpecialOffset.EARLIEST)
                .build());
  }

  public List<Long> shardIds(String stream) {
    return stub()
        .listShards(ListShardsRequest.newBuilder().setStreamName(stream).build())
        .getShardsList()
        .stream()
        .map(s -> s.getShardId())
        .toList();
  }

  public static List<HStreamRecord> rawRecords(String key, String prefix, int count) {
    List<HStreamRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(HStreamRecords.raw(key, (prefix + i).getBytes(StandardCharsets.UTF_8), Map.of()));
    }
    return records;
  }

  public static BatchedRecord batch(List<HStreamRecord> records) {
    return RecordBatches.encode(records, CompressionType.None);
  }

  public AppendResponse append(String stream, long shardId, BatchedRecord batch) {
    return stub()
        .append(
            AppendRequest.newBuilder()
                .setStreamName(stream)
                .setShardId(shardId)
                .setRecords(batch)
                .build());
  }

  public AppendResponse append(String stream, long shardId, String prefix, int count) {
    return append(stream, shardId, batch(rawRecords("k", prefix, count)));
  }

  /** Asserts the call fails with {@code code} and HStreamDB's JSON body naming {@code error}. */
  public static JsonNode assertFails(ThrowingCallable call, Status.Code code, ErrorCode error) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
    Status status = ((StatusRuntimeException) thrown).getStatus();
    assertThat(status.getCode()).as(status.toString()).isEqualTo(code);
    JsonNode body;
    try {
      body = JSON.readTree(status.getDescription());
    } catch (Exception e) {
      throw new AssertionError("status description is not JSON: " + status.getDescription(), e);
    }
    assertThat(body.get("error").asInt()).as(body.toString()).isEqualTo(error.getNumber());
    assertThat(body.get("message").asText()).isNotBlank();
    return body;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
