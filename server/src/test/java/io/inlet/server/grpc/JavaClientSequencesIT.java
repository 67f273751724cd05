package io.inlet.server.grpc;

import static io.inlet.server.testing.GrpcClient.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CreateShardReaderRequest;
import io.inlet.api.hstream.DeleteShardReaderRequest;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.ListSubscriptionsRequest;
import io.inlet.api.hstream.LookupShardReaderRequest;
import io.inlet.api.hstream.LookupShardReaderResponse;
import io.inlet.api.hstream.ReadShardRequest;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReadShardStreamResponse;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.hstream.Subscription;
import io.inlet.api.naming.ObjectNames;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call sequences of HStreamDB's Java client ({@code hstreamdb-java} 0.17, read from its source:
 * {@code StreamShardReaderKtImpl}, {@code ReaderKtImpl}, {@code ConsumerKtImpl}, {@code
 * HStreamClientKtImpl}) replayed through Inlet's own gRPC stubs against a real server: the client
 * itself is not served by this machine's Maven registry.
 */
class JavaClientSequencesIT {
  @TempDir Path dir;

  private static final long WAIT_SECONDS = 30;

  private static BatchedRecord batchPublishedIn1970(String prefix, int records) {
    return GrpcClient.batch(GrpcClient.rawRecords("k", prefix, records)).toBuilder()
        .setPublishTime(Timestamp.newBuilder().setSeconds(1).build())
        .build();
  }

  private static void assertPublishedBetween(BatchedRecord batch, long fromMs, long toMs) {
    Timestamp t = batch.getPublishTime();
    long ms = t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
    assertThat(ms).as("publishTime (ms)").isBetween(fromMs, toMs);
  }

  @Test
  void stream_shard_reader_looks_up_a_fresh_reader_id_then_reads_the_shard_stream()
      throws Exception {
    try (InletServer server = TestServers.start(dir.resolve("data"));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("java-ssr", 1);
      long shard = client.shardIds("java-ssr").get(0);
      long before = System.currentTimeMillis();
      for (int i = 0; i < 3; i++) {
        client.append("java-ssr", shard, batchPublishedIn1970("p" + i + "-", 2));
      }
      long after = System.currentTimeMillis();

      // StreamShardReaderKtImpl.doStart: LookupShardReader on a random id, never created.
      String readerName = UUID.randomUUID().toString();
      LookupShardReaderResponse where =
          client
              .stub()
              .lookupShardReader(
                  LookupShardReaderRequest.newBuilder().setReaderId(readerName).build());
      assertThat(where.getReaderId()).isEqualTo(readerName);
      assertThat(where.getServerNode().getPort()).isEqualTo(server.grpcPort());

      // ...then ReadShardStream on the server it was given.
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress(
                  where.getServerNode().getHost(), where.getServerNode().getPort())
              .usePlaintext()
              .build();
      try {
        Iterator<ReadShardStreamResponse> responses =
            HStreamApiGrpc.newBlockingStub(channel)
                .withDeadlineAfter(WAIT_SECONDS, TimeUnit.SECONDS)
                .readShardStream(
                    ReadShardStreamRequest.newBuilder()
                        .setReaderId(readerName)
                        .setShardId(shard)
                        .setFrom(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                        .setMaxReadBatches(3)
                        .build());
        int batches = 0;
        while (responses.hasNext()) {
          for (ReceivedRecord r : responses.next().getReceivedRecordsList()) {
            assertPublishedBetween(r.getRecord(), before, after);
            batches++;
          }
        }
        assertThat(batches).isEqualTo(3);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void reader_creates_looks_up_reads_max_records_as_batches_and_closes() throws Exception {
    try (InletServer server = TestServers.start(dir.resolve("data"));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("java-reader", 1);
      long shard = client.shardIds("java-reader").get(0);
      long before = System.currentTimeMillis();
      for (int i = 0; i < 5; i++) {
        client.append("java-reader", shard, batchPublishedIn1970("b" + i + "-", 100));
      }
      long after = System.currentTimeMillis();

      // ReaderKtImpl.init: CreateShardReader, then LookupShardReader.
      client
          .stub()
          .createShardReader(
              CreateShardReaderRequest.newBuilder()
                  .setStreamName("java-reader")
                  .setShardId(shard)
                  .setShardOffset(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                  .setTimeout(1000)
                  .setReaderId("reader-1")
                  .build());
      assertThat(
              client
                  .stub()
                  .lookupShardReader(
                      LookupShardReaderRequest.newBuilder().setReaderId("reader-1").build())
                  .getServerNode()
                  .getPort())
          .isEqualTo(server.grpcPort());

      // read(200): five batches of 100 records are five entries, all within maxRecords.
      List<ReceivedRecord> read =
          client
              .stub()
              .readShard(
                  ReadShardRequest.newBuilder().setReaderId("reader-1").setMaxRecords(200).build())
              .getReceivedRecordsList();
      assertThat(read).hasSize(5);
      int records = 0;
      for (ReceivedRecord r : read) {
        records += RecordBatches.decode(r.getRecord()).size();
        assertPublishedBetween(r.getRecord(), before, after);
      }
      assertThat(records).isEqualTo(500);

      // close(): DeleteShardReader.
      client
          .stub()
          .deleteShardReader(DeleteShardReaderRequest.newBuilder().setReaderId("reader-1").build());
    }
  }

  @Test
  void a_reader_goes_on_where_it_was_after_a_restart() throws Exception {
    long shard;
    try (InletServer server = TestServers.start(dir.resolve("data"));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("restart", 1);
      shard = client.shardIds("restart").get(0);
      for (int i = 0; i < 4; i++) {
        client.append("restart", shard, "r" + i + "-", 1);
      }
      client
          .stub()
          .createShardReader(
              CreateShardReaderRequest.newBuilder()
                  .setStreamName("restart")
                  .setShardId(shard)
                  .setShardOffset(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                  .setReaderId("kept")
                  .build());
      assertThat(readPayloads(client, "kept", 2)).containsExactly("r0-0", "r1-0");
    }
    try (InletServer server = TestServers.start(dir.resolve("data"));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      assertThat(readPayloads(client, "kept", 10)).containsExactly("r2-0", "r3-0");
    }
  }

  @Test
  void reader_offsets_on_another_shard_or_beyond_the_tail_are_refused() throws Exception {
    try (InletServer server = TestServers.start(dir.resolve("data"));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("offsets", 2);
      long a = client.shardIds("offsets").get(0);
      long b = client.shardIds("offsets").get(1);
      RecordId inB = client.append("offsets", b, "x", 1).getRecordIds(0);
      RecordId inA = client.append("offsets", a, "y", 1).getRecordIds(0);

      var otherShard =
          assertFails(
              () -> createReader(client, "other", "offsets", a, inB),
              Status.Code.INVALID_ARGUMENT,
              ErrorCode.StreamInvalidOffset);
      assertThat(otherShard.get("message").asText()).contains("belongs to shard");
      RecordId beyond = inA.toBuilder().setBatchId(inA.getBatchId() + 10).build();
      var beyondTail =
          assertFails(
              () -> createReader(client, "beyond", "offsets", a, beyond),
              Status.Code.INVALID_ARGUMENT,
              ErrorCode.StreamInvalidOffset);
      assertThat(beyondTail.get("message").asText()).contains("beyond the tail");
      createReader(client, "ok", "offsets", a, inA);
      assertThat(readPayloads(client, "ok", 10)).containsExactly("y0");
    }
  }

  @Test
  void force_deleted_streams_move_their_subscriptions_to_the_archive() throws Exception {
    try (InletServer server = TestServers.start(dir.resolve("data"));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("reused", 1);
      client
          .stub()
          .createSubscription(
              Subscription.newBuilder()
                  .setSubscriptionId("old-sub")
                  .setStreamName("reused")
                  .setAckTimeoutSeconds(60)
                  .setMaxUnackedRecords(100)
                  .build());
      // HStreamClientKtImpl.deleteStream(name, force = true)
      client
          .stub()
          .deleteStream(
              DeleteStreamRequest.newBuilder().setStreamName("reused").setForce(true).build());
      assertThat(
              client
                  .stub()
                  .listSubscriptions(ListSubscriptionsRequest.getDefaultInstance())
                  .getSubscriptionList())
          .filteredOn(s -> s.getSubscriptionId().equals("old-sub"))
          .extracting(Subscription::getStreamName)
          .containsExactly(ObjectNames.ARCHIVED_STREAM);

      client.createStream("reused", 1);
      long shard = client.shardIds("reused").get(0);
      client.append("reused", shard, "new", 2);
      client
          .stub()
          .createSubscription(
              Subscription.newBuilder()
                  .setSubscriptionId("new-sub")
                  .setStreamName("reused")
                  .setAckTimeoutSeconds(60)
                  .setMaxUnackedRecords(100)
                  .build());

      // ConsumerKtImpl: StreamingFetch with the subscription id and a consumer name.
      long before = System.currentTimeMillis();
      Fetch old = fetch(client, "old-sub");
      Throwable ended = old.errors.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(ended).as("the archived subscription's stream ends").isNotNull();
      assertThat(Status.fromThrowable(ended).getCode()).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(old.responses).isEmpty();

      Fetch fresh = fetch(client, "new-sub");
      StreamingFetchResponse delivered = fresh.responses.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(delivered).isNotNull();
      assertThat(RecordBatches.decode(delivered.getReceivedRecords().getRecord())).hasSize(2);
      assertPublishedBetween(
          delivered.getReceivedRecords().getRecord(), before - 60_000, System.currentTimeMillis());
      fresh.requests.onCompleted();
    }
  }

  private static void createReader(
      GrpcClient client, String id, String stream, long shard, RecordId from) {
    client
        .stub()
        .createShardReader(
            CreateShardReaderRequest.newBuilder()
                .setStreamName(stream)
                .setShardId(shard)
                .setShardOffset(ShardOffset.newBuilder().setRecordOffset(from))
                .setReaderId(id)
                .build());
  }

  private static List<String> readPayloads(GrpcClient client, String readerId, int maxRecords) {
    return client
        .stub()
        .readShard(
            ReadShardRequest.newBuilder().setReaderId(readerId).setMaxRecords(maxRecords).build())
        .getReceivedRecordsList()
        .stream()
        .flatMap(r -> RecordBatches.decode(r.getRecord()).stream())
        .map(r -> r.getPayload().toStringUtf8())
        .toList();
  }

  private record Fetch(
      StreamObserver<StreamingFetchRequest> requests,
      BlockingQueue<StreamingFetchResponse> responses,
      BlockingQueue<Throwable> errors) {}

  private static Fetch fetch(GrpcClient client, String subscription) {
    BlockingQueue<StreamingFetchResponse> responses = new LinkedBlockingQueue<>();
    BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    StreamObserver<StreamingFetchRequest> requests =
        client.async.streamingFetch(
            new StreamObserver<>() {
              @Override
              public void onNext(StreamingFetchResponse value) {
                responses.add(value);
              }

              @Override
              public void onError(Throwable t) {
                errors.add(t);
              }

              @Override
              public void onCompleted() {}
            });
    requests.onNext(
        StreamingFetchRequest.newBuilder()
            .setSubscriptionId(subscription)
            .setConsumerName("consumer-" + subscription)
            .build());
    return new Fetch(requests, responses, errors);
  }
}
