package io.inlet.server;

import static io.inlet.server.testing.GrpcClient.batch;
import static io.inlet.server.testing.GrpcClient.rawRecords;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CreateShardReaderRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReadShardRequest;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.entry.BatchEntries;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.InletProcess;
import io.inlet.store.StoreOptions;
import io.inlet.store.StreamSpec;
import io.inlet.store.StreamStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario: an older Inlet stored a batch that claims 2147483647 records (and one that
 * claims 4294967295) but holds one; a node (256 MiB of heap) started on that data directory reads
 * past them through the real gRPC API, delivers the good batches around them, and keeps answering
 * {@code /health}.
 */
class DamagedEntryProcessIT {
  @TempDir Path dir;

  @Test
  void a_node_reads_past_batches_that_claim_billions_of_records_and_stays_healthy()
      throws Exception {
    Path data = dir.resolve("data");
    long shard;
    try (StreamStore store = StreamStore.open(StoreOptions.defaults(data))) {
      shard = store.streams().create(new StreamSpec("old", 1, 1, 0)).shards().get(0).shardId();
      BatchedRecord one = batch(rawRecords("k", "lie", 1));
      append(store, shard, batch(rawRecords("k", "a", 2)));
      append(store, shard, one.toBuilder().setBatchSize(Integer.MAX_VALUE).build());
      append(store, shard, one.toBuilder().setBatchSize(-1).build());
      append(store, shard, batch(rawRecords("k", "b", 2)));
    }
    try (InletProcess inlet = InletProcess.start(dir.resolve("run"), data)) {
      inlet.awaitReady(Duration.ofSeconds(60));
      try (GrpcClient client = new GrpcClient(inlet.grpcPort())) {
        List<ReceivedRecord> streamed = new ArrayList<>();
        client
            .stub()
            .readShardStream(
                ReadShardStreamRequest.newBuilder()
                    .setShardId(shard)
                    .setFrom(offset(SpecialOffset.EARLIEST))
                    .setUntil(offset(SpecialOffset.LATEST))
                    .build())
            .forEachRemaining(r -> streamed.addAll(r.getReceivedRecordsList()));
        assertThat(payloads(streamed)).containsExactly("a0", "a1", "b0", "b1");

        client
            .stub()
            .createShardReader(
                CreateShardReaderRequest.newBuilder()
                    .setStreamName("old")
                    .setShardId(shard)
                    .setReaderId("r")
                    .setShardOffset(offset(SpecialOffset.EARLIEST))
                    .setTimeout(100)
                    .build());
        List<ReceivedRecord> read = new ArrayList<>();
        for (int i = 0; i < 5 && payloads(read).size() < 4; i++) {
          read.addAll(
              client
                  .stub()
                  .readShard(
                      ReadShardRequest.newBuilder().setReaderId("r").setMaxRecords(100).build())
                  .getReceivedRecordsList());
        }
        assertThat(payloads(read)).containsExactly("a0", "a1", "b0", "b1");

        assertThat(fetchAll(client, 4)).containsExactly("a0", "a1", "b0", "b1");

        HttpResponse<String> health =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + inlet.httpPort() + "/health"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(client.append("old", shard, "c", 1).getRecordIds(0).getBatchId()).isEqualTo(5);
      }
      assertThat(inlet.isAlive()).isTrue();
      assertThat(inlet.output()).doesNotContain("OutOfMemoryError");
    }
  }

  private static ShardOffset offset(SpecialOffset special) {
    return ShardOffset.newBuilder().setSpecialOffset(special).build();
  }

  private static List<String> payloads(List<ReceivedRecord> received) {
    List<String> out = new ArrayList<>();
    for (ReceivedRecord r : received) {
      List<HStreamRecord> records = RecordBatches.decode(r.getRecord());
      assertThat(records).hasSize(r.getRecordIdsCount());
      records.forEach(record -> out.add(record.getPayload().toStringUtf8()));
    }
    return out;
  }

  /** Subscribes from the earliest record and collects {@code count} records, acknowledging. */
  private static List<String> fetchAll(GrpcClient client, int count) throws Exception {
    client.subscribe("sub", "old", 60, 100);
    List<ReceivedRecord> received = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    StreamObserver<StreamingFetchRequest>[] requests = new StreamObserver[1];
    requests[0] =
        client.async.streamingFetch(
            new StreamObserver<>() {
              @Override
              public void onNext(StreamingFetchResponse response) {
                received.add(response.getReceivedRecords());
                synchronized (requests) {
                  requests[0].onNext(
                      StreamingFetchRequest.newBuilder()
                          .setSubscriptionId("sub")
                          .setConsumerName("c")
                          .addAllAckIds(response.getReceivedRecords().getRecordIdsList())
                          .build());
                }
              }

              @Override
              public void onError(Throwable t) {
                failures.add(t);
              }

              @Override
              public void onCompleted() {}
            });
    synchronized (requests) {
      requests[0].onNext(
          StreamingFetchRequest.newBuilder().setSubscriptionId("sub").setConsumerName("c").build());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (payloads(received).size() < count && failures.isEmpty()) {
      assertThat(System.nanoTime() - deadline).as("records within 30 s").isNegative();
      Thread.sleep(10);
    }
    assertThat(failures).isEmpty();
    synchronized (requests) {
      requests[0].onCompleted();
    }
    return payloads(received);
  }

  /** Appends straight to the store, unchecked, as an older version stored batches. */
  private static void append(StreamStore store, long shard, BatchedRecord batch) {
    store.log().append("old", shard, BatchEntries.entry(batch)).join();
  }
}
