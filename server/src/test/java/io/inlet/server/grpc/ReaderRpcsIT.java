package io.inlet.server.grpc;

import static io.inlet.server.testing.GrpcClient.assertFails;
import static io.inlet.server.testing.GrpcClient.batch;
import static io.inlet.server.testing.GrpcClient.rawRecords;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.CreateShardReaderRequest;
import io.inlet.api.hstream.DeleteShardReaderRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ListShardReadersRequest;
import io.inlet.api.hstream.LookupShardReaderRequest;
import io.inlet.api.hstream.ReadShardRequest;
import io.inlet.api.hstream.ReadShardResponse;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReadShardStreamResponse;
import io.inlet.api.hstream.ReadSingleShardStreamRequest;
import io.inlet.api.hstream.ReadSingleShardStreamResponse;
import io.inlet.api.hstream.ReadStreamByKeyRequest;
import io.inlet.api.hstream.ReadStreamByKeyResponse;
import io.inlet.api.hstream.ReadStreamRequest;
import io.inlet.api.hstream.ReadStreamResponse;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamOffset;
import io.inlet.api.hstream.TimestampOffset;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaderRpcsIT {
  @TempDir static Path dataDir;
  static InletServer server;
  static GrpcClient client;
  static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    client = new GrpcClient(server.grpcPort());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  static String name() {
    return "r" + names.incrementAndGet();
  }

  static ShardOffset earliest() {
    return ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST).build();
  }

  static ShardOffset latest() {
    return ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST).build();
  }

  static ShardOffset at(RecordId id) {
    return ShardOffset.newBuilder().setRecordOffset(id).build();
  }

  static void createReader(
      String id, String stream, long shard, ShardOffset offset, int timeoutMs) {
    client
        .stub()
        .createShardReader(
            CreateShardReaderRequest.newBuilder()
                .setReaderId(id)
                .setStreamName(stream)
                .setShardId(shard)
                .setShardOffset(offset)
                .setTimeout(timeoutMs)
                .build());
  }

  static List<ReceivedRecord> read(String readerId, int max) {
    return client
        .stub()
        .readShard(ReadShardRequest.newBuilder().setReaderId(readerId).setMaxRecords(max).build())
        .getReceivedRecordsList();
  }

  /** Every record's payload text, checking ids and records stay in step. */
  static List<String> payloads(List<ReceivedRecord> received) {
    List<String> out = new ArrayList<>();
    for (ReceivedRecord r : received) {
      List<HStreamRecord> records = RecordBatches.decode(r.getRecord());
      assertThat(records).hasSize(r.getRecordIdsCount());
      assertThat(r.getRecord().getBatchSize()).isEqualTo(r.getRecordIdsCount());
      records.forEach(rec -> out.add(rec.getPayload().toStringUtf8()));
    }
    return out;
  }

  @Test
  void reader_lifecycle_and_errors() {
    String stream = name();
    client.createStream(stream, 1);
    long shard = client.shardIds(stream).get(0);
    String id = "reader-" + stream;
    createReader(id, stream, shard, earliest(), 0);
    assertThat(
            client
                .stub()
                .listShardReaders(ListShardReadersRequest.getDefaultInstance())
                .getReaderIdList())
        .contains(id);
    var lookup =
        client
            .stub()
            .lookupShardReader(LookupShardReaderRequest.newBuilder().setReaderId(id).build());
    assertThat(lookup.getReaderId()).isEqualTo(id);
    assertThat(lookup.getServerNode().getPort()).isEqualTo(server.grpcPort());

    assertFails(
        () -> createReader(id, stream, shard, earliest(), 0),
        Status.Code.ALREADY_EXISTS,
        ErrorCode.ShardReaderInvalidObjectIdentifier);
    assertFails(
        () -> createReader("", stream, shard, earliest(), 0),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.ShardReaderInvalidObjectIdentifier);
    assertFails(
        () -> createReader("x-" + stream, stream, shard + 99_999, earliest(), 0),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);

    client.stub().deleteShardReader(DeleteShardReaderRequest.newBuilder().setReaderId(id).build());
    assertThat(
            client
                .stub()
                .listShardReaders(ListShardReadersRequest.getDefaultInstance())
                .getReaderIdList())
        .doesNotContain(id);
    assertFails(
        () ->
            client
                .stub()
                .deleteShardReader(DeleteShardReaderRequest.newBuilder().setReaderId(id).build()),
        Status.Code.NOT_FOUND,
        ErrorCode.ShardReaderInvalidObjectIdentifier);
    assertFails(
        () -> read(id, 10), Status.Code.NOT_FOUND, ErrorCode.ShardReaderInvalidObjectIdentifier);
    // As HStreamDB: any reader id has a node, created or not (hstreamdb-java relies on it).
    assertThat(
            client
                .stub()
                .lookupShardReader(LookupShardReaderRequest.newBuilder().setReaderId(id).build())
                .getServerNode()
                .getPort())
        .isEqualTo(server.grpcPort());
  }

  @Test
  void readers_start_at_earliest_latest_record_id_and_timestamp() throws Exception {
    String stream = name();
    client.createStream(stream, 1);
    long shard = client.shardIds(stream).get(0);
    client.append(stream, shard, "a", 3);
    AppendResponse second = client.append(stream, shard, "b", 3);
    long cut = System.currentTimeMillis() + 1;
    while (System.currentTimeMillis() <= cut) {
      Thread.onSpinWait();
    }
    client.append(stream, shard, "c", 2);

    createReader("e-" + stream, stream, shard, earliest(), 0);
    assertThat(payloads(read("e-" + stream, 100)))
        .containsExactly("a0", "a1", "a2", "b0", "b1", "b2", "c0", "c1");

    createReader("l-" + stream, stream, shard, latest(), 0);
    assertThat(read("l-" + stream, 100)).isEmpty();
    client.append(stream, shard, "d", 1);
    assertThat(payloads(read("l-" + stream, 100))).containsExactly("d0");

    // mid-batch: the earlier records of that batch are not delivered, and ids follow records
    createReader("m-" + stream, stream, shard, at(second.getRecordIds(1)), 0);
    List<ReceivedRecord> mid = read("m-" + stream, 1);
    assertThat(payloads(mid)).containsExactly("b1", "b2");
    assertThat(mid.get(0).getRecordIdsList())
        .containsExactly(second.getRecordIds(1), second.getRecordIds(2));
    assertThat(payloads(read("m-" + stream, 100))).containsExactly("c0", "c1", "d0");

    createReader(
        "t-" + stream,
        stream,
        shard,
        ShardOffset.newBuilder()
            .setTimestampOffset(TimestampOffset.newBuilder().setTimestampInMs(cut))
            .build(),
        0);
    assertThat(payloads(read("t-" + stream, 100))).containsExactly("c0", "c1", "d0");
  }

  @Test
  void read_shard_max_records_counts_whole_batches_not_records() {
    String stream = name();
    client.createStream(stream, 1);
    long shard = client.shardIds(stream).get(0);
    for (int i = 0; i < 4; i++) {
      client.append(stream, shard, "x" + i + "-", 3);
    }
    createReader("b-" + stream, stream, shard, earliest(), 0);
    assertThat(read("b-" + stream, 2)).hasSize(2);
    assertThat(read("b-" + stream, 1)).hasSize(1);
    assertThat(payloads(read("b-" + stream, 100))).containsExactly("x3-0", "x3-1", "x3-2");
    assertThat(read("b-" + stream, 100)).isEmpty();
  }

  @Test
  void read_shard_waits_for_data_appended_later() throws Exception {
    String stream = name();
    client.createStream(stream, 1);
    long shard = client.shardIds(stream).get(0);
    createReader("w-" + stream, stream, shard, latest(), 20_000);
    CompletableFuture<ReadShardResponse> pending = new CompletableFuture<>();
    client.async.readShard(
        ReadShardRequest.newBuilder().setReaderId("w-" + stream).setMaxRecords(10).build(),
        StreamRpcsIT.observer(pending));
    assertThat(pending).isNotDone();
    client.append(stream, shard, "late", 2);
    ReadShardResponse response = pending.get(15, TimeUnit.SECONDS);
    assertThat(payloads(response.getReceivedRecordsList())).containsExactly("late0", "late1");

    // and returns empty after its timeout when nothing comes
    createReader("w2-" + stream, stream, shard, latest(), 200);
    long start = System.nanoTime();
    assertThat(read("w2-" + stream, 10)).isEmpty();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(150);
  }

  @Test
  void read_shard_stream_with_until_ends_and_without_until_tails() throws Exception {
    String stream = name();
    client.createStream(stream, 1);
    long shard = client.shardIds(stream).get(0);
    List<AppendResponse> acks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      acks.add(client.append(stream, shard, "s" + i + "-", 2));
    }
    Iterator<ReadShardStreamResponse> bounded =
        client
            .stub()
            .readShardStream(
                ReadShardStreamRequest.newBuilder()
                    .setReaderId("rs-" + stream)
                    .setShardId(shard)
                    .setFrom(at(acks.get(1).getRecordIds(1)))
                    .setUntil(at(acks.get(3).getRecordIds(0)))
                    .build());
    List<ReceivedRecord> got = new ArrayList<>();
    bounded.forEachRemaining(r -> got.addAll(r.getReceivedRecordsList()));
    assertThat(payloads(got)).containsExactly("s1-1", "s2-0", "s2-1", "s3-0");

    // maxReadBatches caps the batches sent
    List<ReceivedRecord> capped = new ArrayList<>();
    client
        .stub()
        .readShardStream(
            ReadShardStreamRequest.newBuilder()
                .setShardId(shard)
                .setFrom(earliest())
                .setMaxReadBatches(2)
                .build())
        .forEachRemaining(r -> capped.addAll(r.getReceivedRecordsList()));
    assertThat(capped).hasSize(2);

    // from after until is a conflict
    assertFails(
        () ->
            client
                .stub()
                .readShardStream(
                    ReadShardStreamRequest.newBuilder()
                        .setShardId(shard)
                        .setFrom(at(acks.get(3).getRecordIds(0)))
                        .setUntil(at(acks.get(1).getRecordIds(0)))
                        .build())
                .hasNext(),
        Status.Code.FAILED_PRECONDITION,
        ErrorCode.ShardReaderConflictOffset);

    // tailing: records appended later arrive until the client cancels
    Tail<ReadShardStreamResponse> tail = new Tail<>();
    // start right after the current tail (LATEST would race with the append below)
    RecordId next =
        RecordId.newBuilder()
            .setShardId(shard)
            .setBatchId(acks.get(4).getRecordIds(0).getBatchId() + 1)
            .build();
    client.async.readShardStream(
        ReadShardStreamRequest.newBuilder().setShardId(shard).setFrom(at(next)).build(), tail);
    client.append(stream, shard, "new", 1);
    ReadShardStreamResponse first = tail.next();
    assertThat(payloads(first.getReceivedRecordsList())).containsExactly("new0");
    client.append(stream, shard, "newer", 1);
    assertThat(payloads(tail.next().getReceivedRecordsList())).containsExactly("newer0");
    tail.cancel();
  }

  @Test
  void read_single_shard_stream_needs_one_shard() {
    String stream = name();
    client.createStream(stream, 1);
    long shard = client.shardIds(stream).get(0);
    client.append(stream, shard, "o", 3);
    List<ReceivedRecord> got = new ArrayList<>();
    client
        .stub()
        .readSingleShardStream(
            ReadSingleShardStreamRequest.newBuilder()
                .setStreamName(stream)
                .setFrom(earliest())
                .setUntil(latest())
                .build())
        .forEachRemaining(
            (ReadSingleShardStreamResponse r) -> got.addAll(r.getReceivedRecordsList()));
    assertThat(payloads(got)).containsExactly("o0", "o1", "o2");

    String multi = name();
    client.createStream(multi, 2);
    assertFails(
        () ->
            client
                .stub()
                .readSingleShardStream(
                    ReadSingleShardStreamRequest.newBuilder().setStreamName(multi).build())
                .hasNext(),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.ShardReaderTooManyShards);
    assertFails(
        () ->
            client
                .stub()
                .readSingleShardStream(
                    ReadSingleShardStreamRequest.newBuilder().setStreamName("nope").build())
                .hasNext(),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
  }

  @Test
  void read_stream_covers_every_shard() throws Exception {
    String stream = name();
    client.createStream(stream, 3);
    List<Long> shards = client.shardIds(stream);
    for (int i = 0; i < 3; i++) {
      client.append(stream, shards.get(i), "sh" + i + "-", 2);
    }
    List<ReceivedRecord> got = new ArrayList<>();
    client
        .stub()
        .readStream(
            ReadStreamRequest.newBuilder()
                .setStreamName(stream)
                .setFrom(StreamOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                .setUntil(StreamOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST))
                .build())
        .forEachRemaining((ReadStreamResponse r) -> got.addAll(r.getReceivedRecordsList()));
    assertThat(payloads(got))
        .containsExactlyInAnyOrder("sh0-0", "sh0-1", "sh1-0", "sh1-1", "sh2-0", "sh2-1");

    Tail<ReadStreamResponse> tail = new Tail<>();
    long cut = System.currentTimeMillis() + 1;
    while (System.currentTimeMillis() <= cut) {
      Thread.onSpinWait();
    }
    // from a time, not LATEST, which would race with the append below
    client.async.readStream(
        ReadStreamRequest.newBuilder()
            .setStreamName(stream)
            .setFrom(
                StreamOffset.newBuilder()
                    .setTimestampOffset(TimestampOffset.newBuilder().setTimestampInMs(cut)))
            .build(),
        tail);
    client.append(stream, shards.get(2), "late", 1);
    assertThat(payloads(tail.next().getReceivedRecordsList())).containsExactly("late0");
    tail.cancel();
  }

  @Test
  void read_stream_by_key_delivers_only_that_key_within_credit() throws Exception {
    String stream = name();
    client.createStream(stream, 2);
    String key = "device-7";
    long shard = server.store().streams().shardForKey(stream, key).shardId();
    List<HStreamRecord> mixed = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      mixed.addAll(rawRecords(key, "k" + i + "-", 1));
      mixed.addAll(rawRecords("other", "o" + i + "-", 1));
    }
    client.append(stream, shard, batch(mixed));

    Tail<ReadStreamByKeyResponse> responses = new Tail<>();
    StreamObserver<ReadStreamByKeyRequest> requests = client.async.readStreamByKey(responses);
    requests.onNext(
        ReadStreamByKeyRequest.newBuilder()
            .setReaderId("bykey")
            .setStreamName(stream)
            .setKey(key)
            .setFrom(earliest())
            .setReadRecordCount(4)
            .build());
    List<String> got = new ArrayList<>();
    while (got.size() < 4) {
      ReadStreamByKeyResponse r = responses.next();
      assertThat(r.getRecordIdsCount()).isEqualTo(r.getReceivedRecordsCount());
      r.getReceivedRecordsList()
          .forEach(
              rec -> {
                assertThat(rec.getHeader().getKey()).isEqualTo(key);
                got.add(rec.getPayload().toStringUtf8());
              });
    }
    assertThat(got).containsExactly("k0-0", "k1-0", "k2-0", "k3-0");
    assertThat(responses.poll(200)).isNull(); // no credit, nothing more
    requests.onNext(ReadStreamByKeyRequest.newBuilder().setReadRecordCount(10).build());
    while (got.size() < 6) {
      responses
          .next()
          .getReceivedRecordsList()
          .forEach(rec -> got.add(rec.getPayload().toStringUtf8()));
    }
    assertThat(got).endsWith("k4-0", "k5-0");
    assertThat(responses.awaitCompleted()).isTrue(); // ended at the tail it saw when opened
    requests.onCompleted();
  }

  /** A client-side observer that hands responses to the test thread and can cancel. */
  static final class Tail<T> implements ClientResponseObserver<Object, T> {
    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    ClientCallStreamObserver<Object> call;
    private static final Object DONE = new Object();

    @Override
    public void beforeStart(ClientCallStreamObserver<Object> requestStream) {
      call = requestStream;
    }

    @Override
    public void onNext(T value) {
      events.add(value);
    }

    @Override
    public void onError(Throwable t) {
      events.add(t);
    }

    @Override
    public void onCompleted() {
      events.add(DONE);
    }

    @SuppressWarnings("unchecked")
    T next() throws InterruptedException {
      Object e = events.poll(15, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("no response within 15 s");
      }
      if (e instanceof Throwable t) {
        throw new AssertionError("stream failed", t);
      }
      if (e == DONE) {
        throw new AssertionError("stream completed");
      }
      return (T) e;
    }

    Object poll(long ms) throws InterruptedException {
      return events.poll(ms, TimeUnit.MILLISECONDS);
    }

    boolean awaitCompleted() throws InterruptedException {
      return events.poll(15, TimeUnit.SECONDS) == DONE;
    }

    void cancel() {
      call.cancel("test done", null);
    }
  }
}
