package io.inlet.bench.client;

import io.grpc.ManagedChannel;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.DeleteSubscriptionRequest;
import io.inlet.api.hstream.GetTailRecordIdRequest;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamApiGrpc.HStreamApiBlockingStub;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.Shard;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.Stream;
import io.inlet.api.hstream.Subscription;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The few admin calls benchmarks make, over the public API. */
public final class StreamAdmin {
  private final ManagedChannel channel;

  public StreamAdmin(ManagedChannel channel) {
    this.channel = channel;
  }

  private HStreamApiBlockingStub stub() {
    return HStreamApiGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /**
   * Creates a stream with {@code shardCount} shards and no retention limit.
   *
   * @return its shard ids, in key-range order
   */
  public List<Long> createStream(String name, int shardCount) {
    stub()
        .createStream(
            Stream.newBuilder()
                .setStreamName(name)
                .setReplicationFactor(1)
                .setShardCount(shardCount)
                .build());
    return shardIds(name);
  }

  public List<Long> shardIds(String stream) {
    return stub()
        .listShards(ListShardsRequest.newBuilder().setStreamName(stream).build())
        .getShardsList()
        .stream()
        .map(Shard::getShardId)
        .toList();
  }

  public void deleteStream(String name) {
    stub()
        .deleteStream(
            DeleteStreamRequest.newBuilder()
                .setStreamName(name)
                .setIgnoreNonExist(true)
                .setForce(true)
                .build());
  }

  public void createSubscription(String id, String stream, int ackTimeoutSeconds, int maxUnacked) {
    stub()
        .createSubscription(
            Subscription.newBuilder()
                .setSubscriptionId(id)
                .setStreamName(stream)
                .setAckTimeoutSeconds(ackTimeoutSeconds)
                .setMaxUnackedRecords(maxUnacked)
                .setOffset(SpecialOffset.EARLIEST)
                .build());
  }

  public void deleteSubscription(String id) {
    stub()
        .deleteSubscription(
            DeleteSubscriptionRequest.newBuilder().setSubscriptionId(id).setForce(true).build());
  }

  public RecordId tail(String stream, long shardId) {
    return stub()
        .getTailRecordId(
            GetTailRecordIdRequest.newBuilder().setStreamName(stream).setShardId(shardId).build())
        .getTailRecordId();
  }
}
