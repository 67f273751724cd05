package io.inlet.server.subscription;

import static io.inlet.server.testing.GrpcClient.batch;
import static io.inlet.server.testing.GrpcClient.rawRecords;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.inlet.api.append.AppendResult;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.GetSubscriptionRequest;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.SubscriptionOffset;
import io.inlet.server.InletServer;
import io.inlet.server.entry.BatchEntries;
import io.inlet.server.subscription.TestConsumer.Delivered;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StreamingFetch over batches an older Inlet stored unchecked: the damaged ones are never delivered
 * (no record ids out of a lying count), count as acknowledged, and the good batches around them
 * arrive with their ids; the subscription's checkpoint moves past them.
 */
class DamagedBatchDeliveryIT {
  @TempDir Path dir;
  private InletServer server;
  private GrpcClient client;

  @BeforeEach
  void start() {
    server = TestServers.start(dir);
    client = new GrpcClient(server.grpcPort());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
  }

  private AppendResult store(String stream, long shard, BatchedRecord batch) {
    return server.store().log().append(stream, shard, BatchEntries.entry(batch)).join();
  }

  @Test
  void damaged_batches_are_skipped_and_count_as_acknowledged() {
    client.createStream("s", 1);
    long shard = client.shardIds("s").get(0);
    AppendResult a = store("s", shard, batch(rawRecords("k", "a", 2)));
    BatchedRecord one = batch(rawRecords("k", "lie", 1));
    store("s", shard, one.toBuilder().setBatchSize(1000).build());
    store("s", shard, one.toBuilder().setCompressionTypeValue(7).build());
    store("s", shard, one.toBuilder().setPayload(ByteString.copyFromUtf8("garbage")).build());
    AppendResult b = store("s", shard, batch(rawRecords("k", "b", 3)));

    client.subscribe("sub", "s", 60, 100);
    try (TestConsumer consumer = new TestConsumer(client.async, "sub", "c", true)) {
      List<Delivered> delivered = consumer.awaitRecords(5);
      assertThat(delivered)
          .extracting(d -> format(d.id()) + "=" + d.payload())
          .containsExactly(
              format(a, 0) + "=a0",
              format(a, 1) + "=a1",
              format(b, 0) + "=b0",
              format(b, 1) + "=b1",
              format(b, 2) + "=b2");
      Await.until("the checkpoint to move past every batch", () -> checkpoint(shard) == b.lsn());
    }
  }

  private long checkpoint(long shard) {
    return client
        .stub()
        .getSubscription(GetSubscriptionRequest.newBuilder().setId("sub").build())
        .getOffsetsList()
        .stream()
        .filter(o -> o.getShardId() == shard)
        .mapToLong(SubscriptionOffset::getBatchId)
        .findFirst()
        .orElse(-1);
  }

  private static String format(AppendResult result, int index) {
    return format(result.recordIds().get(index));
  }

  private static String format(RecordId id) {
    return id.getShardId() + "-" + id.getBatchId() + "-" + id.getBatchIndex();
  }
}
