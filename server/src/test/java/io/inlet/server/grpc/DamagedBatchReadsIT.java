package io.inlet.server.grpc;

import static io.inlet.server.testing.GrpcClient.batch;
import static io.inlet.server.testing.GrpcClient.rawRecords;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.inlet.api.append.AppendResult;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.CreateShardReaderRequest;
import io.inlet.api.hstream.GetTailRecordIdRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReadShardRequest;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReadSingleShardStreamRequest;
import io.inlet.api.hstream.ReadStreamByKeyRequest;
import io.inlet.api.hstream.ReadStreamByKeyResponse;
import io.inlet.api.hstream.ReadStreamRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamOffset;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.entry.BatchEntries;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches an older Inlet stored without checking them (a lying batchSize, a payload that does not
 * open) are written straight into the store, then read through every read RPC: each damaged batch
 * is skipped (none of its record ids goes out), the good batches around it come out whole with
 * their ids, and the node stays healthy.
 */
class DamagedBatchReadsIT {
  @TempDir static Path dataDir;
  static InletServer server;
  static GrpcClient client;
  static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void start() {
    // Older Inlets kept entries in RocksDB only, and segment entries check their record counts.
    server = TestServers.start(ServerConfig.forTests(dataDir, Map.of("shard-storage", "rocksdb")));
    client = new GrpcClient(server.grpcPort());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  /**
   * Kinds of damage an unchecked Append could store. (batchSize 2147483647 is read by {@code
   * DamagedEntryProcessIT} in a node of its own: before the fix it filled the heap.)
   */
  static List<BatchedRecord> damaged() {
    BatchedRecord one = batch(rawRecords("k", "lie", 1));
    BatchedRecord gzip = RecordBatches.encode(rawRecords("k", "gz", 4), CompressionType.Gzip);
    byte[] broken = gzip.getPayload().toByteArray();
    broken[broken.length / 2] ^= 0x33;
    broken[broken.length / 2 + 1] ^= 0x33;
    return List.of(
        one.toBuilder().setBatchSize(1000).build(),
        one.toBuilder().setBatchSize(-1).build(),
        gzip.toBuilder().setPayload(ByteString.copyFrom(broken)).build(),
        one.toBuilder().setCompressionTypeValue(7).build(),
        one.toBuilder().setPayload(ByteString.copyFromUtf8("not a protobuf batch")).build());
  }

  /** A one-shard stream: good batch "a" (3 records), the damaged ones, good batch "b" (2). */
  private record Layout(String stream, long shard, AppendResult first, AppendResult last) {}

  private static Layout layout() {
    String stream = "d" + names.incrementAndGet();
    client.createStream(stream, 1);
    long shard = client.shardIds(stream).get(0);
    AppendResult first = store(stream, shard, batch(rawRecords("k", "a", 3)));
    for (BatchedRecord bad : damaged()) {
      store(stream, shard, bad);
    }
    AppendResult last = store(stream, shard, batch(rawRecords("k", "b", 2)));
    return new Layout(stream, shard, first, last);
  }

  private static AppendResult store(String stream, long shard, BatchedRecord batch) {
    return server.store().log().append(stream, shard, BatchEntries.entry(batch)).join();
  }

  private static List<String> good(Layout l) {
    List<String> ids = new ArrayList<>();
    for (RecordId id : l.first.recordIds()) {
      ids.add(Offsets.format(id) + "=a" + id.getBatchIndex());
    }
    for (RecordId id : l.last.recordIds()) {
      ids.add(Offsets.format(id) + "=b" + id.getBatchIndex());
    }
    return ids;
  }

  /** Each id with the payload it is paired with, as HStreamDB clients pair them. */
  private static List<String> paired(List<ReceivedRecord> received) {
    List<String> out = new ArrayList<>();
    for (ReceivedRecord r : received) {
      List<HStreamRecord> records = RecordBatches.decode(r.getRecord());
      assertThat(records).as("records of a delivered batch").hasSize(r.getRecordIdsCount());
      for (int i = 0; i < records.size(); i++) {
        out.add(
            Offsets.format(r.getRecordIds(i)) + "=" + records.get(i).getPayload().toStringUtf8());
      }
    }
    return out;
  }

  private static ShardOffset earliest() {
    return ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST).build();
  }

  private static ShardOffset latest() {
    return ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST).build();
  }

  @Test
  void read_shard_skips_damaged_batches() {
    Layout l = layout();
    String reader = "r-" + l.stream;
    client
        .stub()
        .createShardReader(
            CreateShardReaderRequest.newBuilder()
                .setStreamName(l.stream)
                .setShardId(l.shard)
                .setReaderId(reader)
                .setShardOffset(earliest())
                .setTimeout(100)
                .build());
    List<ReceivedRecord> received = new ArrayList<>();
    for (int i = 0; i < 10 && paired(received).size() < 5; i++) {
      received.addAll(
          client
              .stub()
              .readShard(
                  ReadShardRequest.newBuilder().setReaderId(reader).setMaxRecords(2000).build())
              .getReceivedRecordsList());
    }
    assertThat(paired(received)).containsExactlyElementsOf(good(l));
  }

  /** Everything a shard's streaming read from {@code from} to the end delivers. */
  private static List<ReceivedRecord> readShardFrom(long shard, ShardOffset from) {
    List<ReceivedRecord> out = new ArrayList<>();
    client
        .stub()
        .readShardStream(
            ReadShardStreamRequest.newBuilder()
                .setShardId(shard)
                .setFrom(from)
                .setUntil(latest())
                .build())
        .forEachRemaining(r -> out.addAll(r.getReceivedRecordsList()));
    return out;
  }

  @Test
  void streaming_reads_skip_damaged_batches() {
    Layout l = layout();
    assertThat(paired(readShardFrom(l.shard, earliest()))).containsExactlyElementsOf(good(l));

    List<ReceivedRecord> byStream = new ArrayList<>();
    client
        .stub()
        .readStream(
            ReadStreamRequest.newBuilder()
                .setStreamName(l.stream)
                .setFrom(StreamOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                .setUntil(StreamOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST))
                .build())
        .forEachRemaining(r -> byStream.addAll(r.getReceivedRecordsList()));
    assertThat(paired(byStream)).containsExactlyElementsOf(good(l));

    List<ReceivedRecord> single = new ArrayList<>();
    client
        .stub()
        .readSingleShardStream(
            ReadSingleShardStreamRequest.newBuilder()
                .setStreamName(l.stream)
                .setFrom(earliest())
                .setUntil(latest())
                .build())
        .forEachRemaining(r -> single.addAll(r.getReceivedRecordsList()));
    assertThat(paired(single)).containsExactlyElementsOf(good(l));
  }

  @Test
  void a_read_starting_inside_a_batch_is_re_encoded_and_damaged_starts_move_on() {
    Layout l = layout();
    RecordId second = l.first.recordIds().get(1);
    assertThat(
            paired(
                readShardFrom(l.shard, ShardOffset.newBuilder().setRecordOffset(second).build())))
        .containsExactlyElementsOf(good(l).subList(1, 5));

    // Starting inside the batch that claims 1000 records: nothing of it, then "b".
    RecordId insideTheLie =
        RecordId.newBuilder()
            .setShardId(l.shard)
            .setBatchId(l.first.lsn() + 1)
            .setBatchIndex(500)
            .build();
    assertThat(
            paired(
                readShardFrom(
                    l.shard, ShardOffset.newBuilder().setRecordOffset(insideTheLie).build())))
        .containsExactlyElementsOf(good(l).subList(3, 5));
  }

  @Test
  void read_stream_by_key_skips_damaged_batches() {
    Layout l = layout();
    List<String> got = new ArrayList<>();
    var responses = new java.util.concurrent.LinkedBlockingQueue<Object>();
    var requests =
        client.async.readStreamByKey(
            new io.grpc.stub.StreamObserver<ReadStreamByKeyResponse>() {
              @Override
              public void onNext(ReadStreamByKeyResponse value) {
                responses.add(value);
              }

              @Override
              public void onError(Throwable t) {
                responses.add(t);
              }

              @Override
              public void onCompleted() {
                responses.add("done");
              }
            });
    requests.onNext(
        ReadStreamByKeyRequest.newBuilder()
            .setStreamName(l.stream)
            .setKey("k")
            .setFrom(earliest())
            .setUntil(latest())
            .setReadRecordCount(100)
            .build());
    try {
      while (true) {
        Object next = responses.poll(30, TimeUnit.SECONDS);
        assertThat(next).as("a response within 30 s").isNotNull();
        if (next instanceof Throwable t) {
          throw new AssertionError("ReadStreamByKey failed", t);
        }
        if ("done".equals(next)) {
          break;
        }
        ReadStreamByKeyResponse r = (ReadStreamByKeyResponse) next;
        for (int i = 0; i < r.getRecordIdsCount(); i++) {
          got.add(
              Offsets.format(r.getRecordIds(i))
                  + "="
                  + r.getReceivedRecords(i).getPayload().toStringUtf8());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      requests.onCompleted();
    }
    assertThat(got).containsExactlyElementsOf(good(l));
  }

  @Test
  void the_tail_record_id_of_a_shard_ending_in_a_damaged_batch_stays_sane() {
    String stream = "d" + names.incrementAndGet();
    client.createStream(stream, 1);
    long shard = client.shardIds(stream).get(0);
    store(stream, shard, batch(rawRecords("k", "a", 3)));
    AppendResult lie =
        store(stream, shard, batch(rawRecords("k", "x", 1)).toBuilder().setBatchSize(7).build());
    RecordId tail =
        client
            .stub()
            .getTailRecordId(
                GetTailRecordIdRequest.newBuilder().setStreamName(stream).setShardId(shard).build())
            .getTailRecordId();
    assertThat(tail.getBatchId()).isEqualTo(lie.lsn());
    assertThat(tail.getBatchIndex()).isZero();
  }

  @Test
  void the_node_stays_healthy_after_reading_damaged_batches() throws Exception {
    Layout l = layout();
    readShardFrom(l.shard, earliest());
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/health"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(client.append(l.stream, l.shard, "c", 1).getRecordIds(0).getBatchId())
        .isEqualTo(l.last.lsn() + 1);
  }
}
