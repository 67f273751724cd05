package io.inlet.bench.client;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.DeleteSubscriptionRequest;
import io.inlet.api.hstream.GetTailRecordIdRequest;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamApiGrpc.HStreamApiBlockingStub;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.Shard;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.Stream;
import io.inlet.api.hstream.Subscription;
import java.time.Duration;
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
    return createStream(name, shardCount, 1);
  }

  /** Creates a stream whose records are kept {@code replicationFactor} times; its shard ids. */
  public List<Long> createStream(String name, int shardCount, int replicationFactor) {
    stub()
        .createStream(
            Stream.newBuilder()
                .setStreamName(name)
                .setReplicationFactor(replicationFactor)
                .setShardCount(shardCount)
                .build());
    return shardIds(name);
  }

  /**
   * The node LookupShard names for {@code shardId}, asked until it names one (a replicated shard
   * has none until its leader is chosen) or {@code patience} has passed.
   */
  public ServerNode awaitLeader(long shardId, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      try {
        return stub()
            .lookupShard(LookupShardRequest.newBuilder().setShardId(shardId).build())
            .getServerNode();
      } catch (StatusRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
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
