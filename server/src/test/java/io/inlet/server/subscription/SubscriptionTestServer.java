package io.inlet.server.subscription;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.inlet.api.append.AppendResult;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.Subscription;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.entry.BatchEntries;
import io.inlet.server.grpc.HStreamApiDefinition;
import io.inlet.server.grpc.LocalNode;
import io.inlet.server.metrics.SubscriptionMetrics;
import io.inlet.store.ShardInfo;
import io.inlet.store.StreamSpec;
import io.inlet.store.StreamStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC server serving {@link SubscriptionRpcs} over a store in a directory, plus a client
 * channel to it; {@link #restart()} closes everything and reopens on the same directory.
 */
final class SubscriptionTestServer implements AutoCloseable {
  static final LocalNode NODE = new LocalNode(1, "127.0.0.1", 6570, "0.20.3");

  private final Path dir;

  /** The time the subscriptions' ack deadlines run on: it moves only when a test advances it. */
  final ManualTicker ticker = new ManualTicker();

  StreamStore store;
  SubscriptionRpcs rpcs;
  private MeterRegistry meters;
  private Server server;
  private ManagedChannel channel;
  HStreamApiGrpc.HStreamApiBlockingStub api;
  HStreamApiGrpc.HStreamApiStub async;
  private final List<TestConsumer> consumers = new ArrayList<>();

  SubscriptionTestServer(Path dir) {
    this.dir = dir;
    open();
  }

  private void open() {
    store = TestStores.open(dir);
    meters = new SimpleMeterRegistry();
    rpcs =
        new SubscriptionRpcs(
            store,
            NODE,
            new SubscriptionMetrics(meters),
            new UnackedLimits(1 << 20, 1 << 24),
            ticker);
    try {
      server =
          NettyServerBuilder.forPort(0)
              .addService(HStreamApiDefinition.compose(List.of(rpcs)))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .usePlaintext()
            .userAgent("inlet-test/1.0")
            .build();
    api = HStreamApiGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    async = HStreamApiGrpc.newStub(channel);
  }

  /** The subscription's unacknowledged records, as its gauge shows them (0 before it runs). */
  long unacked(String subscriptionId) {
    Gauge gauge =
        meters.find(SubscriptionMetrics.UNACKED).tag("subscription", subscriptionId).gauge();
    return gauge == null ? 0 : (long) gauge.value();
  }

  /** Closes the RPCs (flushing checkpoints), the server and the store, then reopens them. */
  void restart() {
    shutDown();
    open();
  }

  List<Long> createStream(String name, int shards) {
    return store.streams().create(new StreamSpec(name, shards, 1, 0)).shards().stream()
        .map(ShardInfo::shardId)
        .toList();
  }

  Subscription subscribe(String id, String stream, int ackTimeout, int maxUnacked) {
    return subscribe(id, stream, ackTimeout, maxUnacked, SpecialOffset.EARLIEST);
  }

  Subscription subscribe(
      String id, String stream, int ackTimeout, int maxUnacked, SpecialOffset offset) {
    return api.createSubscription(
        Subscription.newBuilder()
            .setSubscriptionId(id)
            .setStreamName(stream)
            .setAckTimeoutSeconds(ackTimeout)
            .setMaxUnackedRecords(maxUnacked)
            .setOffset(offset)
            .build());
  }

  /**
   * Appends {@code batches} batches of {@code size} RAW records whose payloads are {@code
   * <tag>/<shard>/<batch>/<index>}; returns the results in order.
   */
  List<AppendResult> append(String stream, long shardId, String tag, int batches, int size) {
    List<AppendResult> results = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<HStreamRecord> records = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        String payload = tag + "/" + shardId + "/" + b + "/" + i;
        records.add(HStreamRecords.raw("k", payload.getBytes(StandardCharsets.UTF_8), Map.of()));
      }
      results.add(
          store
              .log()
              .append(
                  stream,
                  shardId,
                  BatchEntries.entry(RecordBatches.encode(records, CompressionType.None)))
              .join());
    }
    return results;
  }

  TestConsumer consumer(String subscriptionId, String name, boolean autoAck) {
    TestConsumer consumer = new TestConsumer(async, subscriptionId, name, autoAck);
    consumers.add(consumer);
    return consumer;
  }

  private void shutDown() {
    for (TestConsumer c : consumers) {
      c.close();
    }
    consumers.clear();
    rpcs.close();
    channel.shutdownNow();
    server.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }

  @Override
  public void close() {
    shutDown();
  }
}
