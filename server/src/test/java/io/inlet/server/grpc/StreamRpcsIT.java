package io.inlet.server.grpc;

import static io.inlet.server.testing.GrpcClient.assertFails;
import static io.inlet.server.testing.GrpcClient.batch;
import static io.inlet.server.testing.GrpcClient.rawRecords;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.EchoRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.GetStreamRequest;
import io.inlet.api.hstream.GetTailRecordIdRequest;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ListStreamsRequest;
import io.inlet.api.hstream.ListStreamsWithPrefixRequest;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.Shard;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.Stream;
import io.inlet.api.hstream.StreamOffset;
import io.inlet.api.hstream.TimestampOffset;
import io.inlet.api.hstream.TrimShardRequest;
import io.inlet.api.hstream.TrimShardsRequest;
import io.inlet.api.hstream.TrimShardsResponse;
import io.inlet.api.hstream.TrimStreamRequest;
import io.inlet.api.record.PartitionKeys;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.InletServer;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamRpcsIT {
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
    return "s" + names.incrementAndGet();
  }

  @Test
  void echo_returns_the_message() {
    assertThat(client.stub().echo(EchoRequest.newBuilder().setMsg("hi").build()).getMsg())
        .isEqualTo("hi");
  }

  @Test
  void create_get_list_and_delete_a_stream() {
    String name = "crud_" + name();
    Stream created = client.createStream(name, 3, 60);
    assertThat(created.getStreamName()).isEqualTo(name);
    assertThat(created.getShardCount()).isEqualTo(3);
    assertThat(created.getBacklogDuration()).isEqualTo(60);
    assertThat(created.getReplicationFactor()).isEqualTo(1);
    assertThat(created.hasCreationTime()).isTrue();

    Stream got =
        client.stub().getStream(GetStreamRequest.newBuilder().setName(name).build()).getStream();
    assertThat(got).isEqualTo(created);
    assertThat(client.stub().listStreams(ListStreamsRequest.getDefaultInstance()).getStreamsList())
        .extracting(Stream::getStreamName)
        .contains(name);
    assertThat(
            client
                .stub()
                .listStreamsWithPrefix(
                    ListStreamsWithPrefixRequest.newBuilder().setPrefix("crud_").build())
                .getStreamsList())
        .extracting(Stream::getStreamName)
        .containsExactly(name);

    client.stub().deleteStream(DeleteStreamRequest.newBuilder().setStreamName(name).build());
    assertFails(
        () -> client.stub().getStream(GetStreamRequest.newBuilder().setName(name).build()),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
  }

  @Test
  void stream_errors_carry_status_and_json_body() {
    String name = name();
    client.createStream(name, 1);
    assertFails(
        () -> client.createStream(name, 1), Status.Code.ALREADY_EXISTS, ErrorCode.StreamExists);
    assertFails(
        () -> client.createStream(name(), 0),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.StreamInvalidShardCount);
    assertFails(
        () ->
            client
                .stub()
                .createStream(Stream.newBuilder().setStreamName(name()).setShardCount(1).build()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.StreamInvalidReplicaFactor);
    assertFails(
        () ->
            client
                .stub()
                .deleteStream(DeleteStreamRequest.newBuilder().setStreamName("nope").build()),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
    client
        .stub()
        .deleteStream(
            DeleteStreamRequest.newBuilder().setStreamName("nope").setIgnoreNonExist(true).build());
  }

  @Test
  void list_shards_splits_the_key_space() {
    String name = name();
    client.createStream(name, 4);
    List<Shard> shards =
        client
            .stub()
            .listShards(ListShardsRequest.newBuilder().setStreamName(name).build())
            .getShardsList();
    assertThat(shards).hasSize(4);
    assertThat(new BigInteger(shards.get(0).getStartHashRangeKey())).isEqualTo(BigInteger.ZERO);
    assertThat(new BigInteger(shards.get(3).getEndHashRangeKey())).isEqualTo(PartitionKeys.MAX_KEY);
    for (int i = 1; i < 4; i++) {
      assertThat(new BigInteger(shards.get(i).getStartHashRangeKey()))
          .isEqualTo(new BigInteger(shards.get(i - 1).getEndHashRangeKey()).add(BigInteger.ONE));
    }
    assertThat(shards)
        .allSatisfy(
            s -> {
              assertThat(s.getIsActive()).isTrue();
              assertThat(s.getEpoch()).isZero();
              assertThat(s.getStreamName()).isEqualTo(name);
            });
    assertFails(
        () ->
            client.stub().listShards(ListShardsRequest.newBuilder().setStreamName("nope").build()),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
  }

  @Test
  void append_returns_exactly_batch_size_record_ids() {
    String name = name();
    client.createStream(name, 1);
    long shard = client.shardIds(name).get(0);
    AppendResponse first = client.append(name, shard, "a", 5);
    AppendResponse second = client.append(name, shard, "b", 3);
    assertThat(first.getRecordIdsList()).hasSize(5);
    assertThat(first.getStreamName()).isEqualTo(name);
    assertThat(first.getShardId()).isEqualTo(shard);
    assertThat(first.getRecordIdsList())
        .extracting(RecordId::getBatchIndex)
        .containsExactly(0, 1, 2, 3, 4);
    assertThat(second.getRecordIds(0).getBatchId())
        .isGreaterThan(first.getRecordIds(0).getBatchId());

    RecordId tail =
        client
            .stub()
            .getTailRecordId(
                GetTailRecordIdRequest.newBuilder().setStreamName(name).setShardId(shard).build())
            .getTailRecordId();
    assertThat(tail).isEqualTo(second.getRecordIds(2));
  }

  @Test
  void append_validation_errors() {
    String name = name();
    client.createStream(name, 1);
    long shard = client.shardIds(name).get(0);
    AppendRequest.Builder base = AppendRequest.newBuilder().setStreamName(name).setShardId(shard);
    assertFails(
        () -> client.stub().append(base.build()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.StreamEmptyBatchedRecord);
    BatchedRecord good = batch(rawRecords("k", "x", 2));
    assertFails(
        () ->
            client.stub().append(base.clone().setRecords(good.toBuilder().setBatchSize(0)).build()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.StreamEmptyBatchedRecord);
    assertFails(
        () ->
            client
                .stub()
                .append(
                    base.clone().setRecords(good.toBuilder().setPayload(ByteString.EMPTY)).build()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.StreamEmptyBatchedRecord);
    byte[] big = new byte[(1 << 20) + 1];
    assertFails(
        () ->
            client
                .stub()
                .append(
                    base.clone()
                        .setRecords(good.toBuilder().setPayload(ByteString.copyFrom(big)))
                        .build()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.StreamInvalidRecordSize);
    assertFails(
        () -> client.append("nope", shard, good), Status.Code.NOT_FOUND, ErrorCode.StreamNotFound);
    assertFails(
        () -> client.append(name, shard + 100_000, good),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
  }

  @Test
  void compressed_batches_are_stored_as_received() throws Exception {
    String name = name();
    client.createStream(name, 1);
    long shard = client.shardIds(name).get(0);
    List<BatchedRecord> sent = new ArrayList<>();
    for (CompressionType type :
        List.of(CompressionType.Gzip, CompressionType.Zstd, CompressionType.None)) {
      BatchedRecord b = RecordBatches.encode(rawRecords("k", type.name(), 20), type);
      sent.add(b);
      client.append(name, shard, b);
    }
    var reader =
        io.inlet.api.hstream.CreateShardReaderRequest.newBuilder()
            .setStreamName(name)
            .setShardId(shard)
            .setReaderId("r-" + name)
            .setShardOffset(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
            .build();
    client.stub().createShardReader(reader);
    var read =
        client
            .stub()
            .readShard(
                io.inlet.api.hstream.ReadShardRequest.newBuilder()
                    .setReaderId("r-" + name)
                    .setMaxRecords(100)
                    .build());
    // As stored, but for publishTime: readers see the time the batch was appended.
    assertThat(read.getReceivedRecordsList())
        .extracting(r -> r.getRecord().toBuilder().clearPublishTime().build())
        .containsExactlyElementsOf(
            sent.stream().map(b -> b.toBuilder().clearPublishTime().build()).toList());
    assertThat(read.getReceivedRecordsList()).allMatch(r -> r.getRecord().hasPublishTime());
    assertThat(RecordBatches.decode(read.getReceivedRecords(1).getRecord()))
        .isEqualTo(rawRecords("k", "Zstd", 20));
  }

  @Test
  void concurrent_async_appends_all_complete() throws Exception {
    String name = name();
    client.createStream(name, 2);
    List<Long> shards = client.shardIds(name);
    List<CompletableFuture<AppendResponse>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      CompletableFuture<AppendResponse> f = new CompletableFuture<>();
      futures.add(f);
      client.async.append(
          AppendRequest.newBuilder()
              .setStreamName(name)
              .setShardId(shards.get(i % 2))
              .setRecords(batch(rawRecords("k", "c" + i, 1 + i % 4)))
              .build(),
          observer(f));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    for (int i = 0; i < 50; i++) {
      assertThat(futures.get(i).get().getRecordIdsCount()).isEqualTo(1 + i % 4);
    }
  }

  static <T> StreamObserver<T> observer(CompletableFuture<T> f) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        f.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        f.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  private List<Long> lsns(String name, long shard) {
    String id = "t-" + name + "-" + names.incrementAndGet();
    client
        .stub()
        .createShardReader(
            io.inlet.api.hstream.CreateShardReaderRequest.newBuilder()
                .setStreamName(name)
                .setShardId(shard)
                .setReaderId(id)
                .build());
    return client
        .stub()
        .readShard(
            io.inlet.api.hstream.ReadShardRequest.newBuilder()
                .setReaderId(id)
                .setMaxRecords(1000)
                .build())
        .getReceivedRecordsList()
        .stream()
        .map(r -> r.getRecordIds(0).getBatchId())
        .toList();
  }

  @Test
  void trim_shard_deletes_records_before_the_trim_point() {
    String name = name();
    client.createStream(name, 1);
    long shard = client.shardIds(name).get(0);
    List<RecordId> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(client.append(name, shard, "t", 2).getRecordIds(0));
    }
    TrimShardRequest.Builder trim =
        TrimShardRequest.newBuilder().setStreamName(name).setShardId(shard);
    client
        .stub()
        .trimShard(
            trim.setTrimPoint(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                .build());
    assertThat(lsns(name, shard)).hasSize(5);
    client
        .stub()
        .trimShard(trim.setTrimPoint(ShardOffset.newBuilder().setRecordOffset(ids.get(2))).build());
    assertThat(lsns(name, shard))
        .containsExactly(ids.get(2).getBatchId(), ids.get(3).getBatchId(), ids.get(4).getBatchId());
    client
        .stub()
        .trimShard(
            trim.setTrimPoint(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST))
                .build());
    assertThat(lsns(name, shard)).isEmpty();
    assertFails(
        () -> client.stub().trimShard(trim.setShardId(shard + 100_000).build()),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
  }

  @Test
  void trim_stream_by_time_and_latest() throws Exception {
    String name = name();
    client.createStream(name, 2);
    List<Long> shards = client.shardIds(name);
    client.append(name, shards.get(0), "old", 1);
    client.append(name, shards.get(1), "old", 1);
    long cut = System.currentTimeMillis() + 1;
    awaitClockPast(cut);
    RecordId kept = client.append(name, shards.get(0), "new", 1).getRecordIds(0);
    client
        .stub()
        .trimStream(
            TrimStreamRequest.newBuilder()
                .setStreamName(name)
                .setTrimPoint(
                    StreamOffset.newBuilder()
                        .setTimestampOffset(TimestampOffset.newBuilder().setTimestampInMs(cut)))
                .build());
    assertThat(lsns(name, shards.get(0))).containsExactly(kept.getBatchId());
    assertThat(lsns(name, shards.get(1))).isEmpty();
    client
        .stub()
        .trimStream(
            TrimStreamRequest.newBuilder()
                .setStreamName(name)
                .setTrimPoint(StreamOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST))
                .build());
    assertThat(lsns(name, shards.get(0))).isEmpty();
    assertFails(
        () ->
            client.stub().trimStream(TrimStreamRequest.newBuilder().setStreamName("nope").build()),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
  }

  static void awaitClockPast(long ms) throws InterruptedException {
    while (System.currentTimeMillis() <= ms) {
      Thread.onSpinWait();
    }
  }

  @Test
  void trim_shards_trims_each_shard_before_its_oldest_id() {
    String name = name();
    client.createStream(name, 2);
    List<Long> shards = client.shardIds(name);
    List<RecordId> a = new ArrayList<>();
    List<RecordId> b = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      a.add(client.append(name, shards.get(0), "a", 3).getRecordIds(1));
      b.add(client.append(name, shards.get(1), "b", 3).getRecordIds(2));
    }
    TrimShardsResponse response =
        client
            .stub()
            .trimShards(
                TrimShardsRequest.newBuilder()
                    .setStreamName(name)
                    .addRecordIds(Offsets.format(a.get(2)))
                    .addRecordIds(Offsets.format(a.get(1)))
                    .addRecordIds(Offsets.format(b.get(2)))
                    .build());
    assertThat(response.getTrimPointsMap())
        .containsEntry(shards.get(0), Offsets.format(a.get(1)))
        .containsEntry(shards.get(1), Offsets.format(b.get(2)));
    assertThat(lsns(name, shards.get(0)))
        .containsExactly(a.get(1).getBatchId(), a.get(2).getBatchId());
    assertThat(lsns(name, shards.get(1))).containsExactly(b.get(2).getBatchId());

    assertThat(
            client
                .stub()
                .trimShards(TrimShardsRequest.newBuilder().setStreamName(name).build())
                .getTrimPointsMap())
        .isEmpty();
    assertFails(
        () ->
            client
                .stub()
                .trimShards(
                    TrimShardsRequest.newBuilder().setStreamName(name).addRecordIds("1-x").build()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.StreamInvalidOffset);
  }

  @Test
  void tail_record_id_of_an_empty_shard_and_errors() {
    String name = name();
    client.createStream(name, 1);
    long shard = client.shardIds(name).get(0);
    RecordId tail =
        client
            .stub()
            .getTailRecordId(
                GetTailRecordIdRequest.newBuilder().setStreamName(name).setShardId(shard).build())
            .getTailRecordId();
    assertThat(tail.getShardId()).isEqualTo(shard);
    assertThat(tail.getBatchId()).isZero();
    assertFails(
        () ->
            client
                .stub()
                .getTailRecordId(
                    GetTailRecordIdRequest.newBuilder()
                        .setStreamName(name)
                        .setShardId(shard + 7777)
                        .build()),
        Status.Code.NOT_FOUND,
        ErrorCode.StreamNotFound);
  }
}
