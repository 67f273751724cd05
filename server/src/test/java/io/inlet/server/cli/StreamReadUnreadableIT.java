package io.inlet.server.cli;

import static io.inlet.cli.CliRun.at;
import static io.inlet.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.inlet.api.append.AppendResult;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ListShardsResponse;
import io.inlet.api.hstream.ReadStreamRequest;
import io.inlet.api.hstream.ReadStreamResponse;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.Shard;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.cli.CliRun;
import io.inlet.server.InletServer;
import io.inlet.server.entry.BatchEntries;
import io.inlet.server.testing.TestServers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inlet stream read} goes on past a record it cannot read: it names the record and the
 * reason on stderr, prints every other record on stdout, and exits 0.
 */
class StreamReadUnreadableIT {
  @TempDir Path dir;

  private static HStreamRecord raw(String payload) {
    return HStreamRecords.raw(
        "k", payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
  }

  @Test
  void a_json_record_that_is_not_json_is_reported_on_stderr_and_the_read_goes_on() {
    try (InletServer server = TestServers.start(dir)) {
      server.store().streams().create(new io.inlet.store.StreamSpec("old", 1, 1, 0));
      long shard = server.store().streams().get("old").orElseThrow().shards().get(0).shardId();
      HStreamRecord notJson =
          HStreamRecord.newBuilder()
              .setHeader(
                  HStreamRecordHeader.newBuilder()
                      .setFlag(HStreamRecordHeader.Flag.JSON)
                      .setKey("k"))
              .setPayload(ByteString.copyFromUtf8("{\"written\": \"as text\"}"))
              .build();
      // Written straight into the store, as an older version accepted it.
      AppendResult stored =
          server
              .store()
              .log()
              .append(
                  "old",
                  shard,
                  BatchEntries.entry(
                      RecordBatches.encode(
                          List.of(raw("a"), notJson, raw("b")), CompressionType.None)))
              .join();

      CliRun read = run(at("127.0.0.1:" + server.grpcPort(), "stream", "read", "old"));

      assertThat(read.exitCode()).as(read.toString()).isZero();
      assertThat(read.outLines()).hasSize(2);
      assertThat(read.out()).contains("a").contains("b").doesNotContain("as text");
      String id = shard + "-" + stored.lsn() + "-1";
      assertThat(read.err())
          .contains("record " + id + " cannot be read")
          .contains("not a serialized google.protobuf.Struct")
          .contains("1 record could not be read");
    }
  }

  @Test
  void a_batch_that_does_not_decode_is_reported_record_by_record_and_the_read_goes_on()
      throws Exception {
    BatchedRecord good = RecordBatches.encode(List.of(raw("a0"), raw("a1")), CompressionType.None);
    BatchedRecord broken =
        good.toBuilder()
            .setCompressionType(CompressionType.Gzip)
            .setPayload(ByteString.copyFromUtf8("not gzip"))
            .build();
    BatchedRecord later = RecordBatches.encode(List.of(raw("c0")), CompressionType.Zstd);
    ReadStreamResponse response =
        ReadStreamResponse.newBuilder()
            .addReceivedRecords(received(good, 1))
            .addReceivedRecords(received(broken, 2))
            .addReceivedRecords(received(later, 3))
            .build();
    // A server that hands out what it has stored unchecked (an older or another HStreamDB server).
    Server server =
        NettyServerBuilder.forPort(0)
            .addService(
                new HStreamApiGrpc.HStreamApiImplBase() {
                  @Override
                  public void listShards(
                      ListShardsRequest request, StreamObserver<ListShardsResponse> observer) {
                    observer.onNext(
                        ListShardsResponse.newBuilder()
                            .addShards(Shard.newBuilder().setStreamName("s").setShardId(9))
                            .build());
                    observer.onCompleted();
                  }

                  @Override
                  public void readStream(
                      ReadStreamRequest request, StreamObserver<ReadStreamResponse> observer) {
                    observer.onNext(response);
                    observer.onCompleted();
                  }
                })
            .build()
            .start();
    try {
      CliRun read = run(at("127.0.0.1:" + server.getPort(), "stream", "read", "s"));

      assertThat(read.exitCode()).as(read.toString()).isZero();
      assertThat(read.out()).contains("9-1-0").contains("9-1-1").contains("9-3-0").contains("c0");
      assertThat(read.err())
          .contains("record 9-2-0 cannot be read")
          .contains("record 9-2-1 cannot be read")
          .contains("does not decompress as Gzip")
          .contains("2 records could not be read");
    } finally {
      server.shutdownNow().awaitTermination();
    }
  }

  private static ReceivedRecord received(BatchedRecord batch, long lsn) {
    ReceivedRecord.Builder out = ReceivedRecord.newBuilder().setRecord(batch);
    for (int i = 0; i < batch.getBatchSize(); i++) {
      out.addRecordIds(RecordId.newBuilder().setShardId(9).setBatchId(lsn).setBatchIndex(i));
    }
    return out.build();
  }
}
