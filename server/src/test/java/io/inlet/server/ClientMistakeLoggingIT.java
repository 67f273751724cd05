package io.inlet.server;

import static io.inlet.server.testing.GrpcClient.batch;
import static io.inlet.server.testing.GrpcClient.rawRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.DeleteSubscriptionRequest;
import io.inlet.api.hstream.GetStreamRequest;
import io.inlet.api.hstream.ReadShardRequest;
import io.inlet.api.hstream.Stream;
import io.inlet.api.hstream.Subscription;
import io.inlet.api.hstream.TrimShardsRequest;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.InletProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client mistakes are the client's business: a node answers them with a status and logs them at
 * most as one INFO line, never as a warning, an error or a stack trace.
 */
class ClientMistakeLoggingIT {
  @TempDir Path dir;

  private static void refused(Runnable call) {
    assertThat(catchThrowable(call::run)).isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void client_mistakes_leave_no_warnings_and_no_stack_traces() throws Exception {
    try (InletProcess inlet = InletProcess.start(dir.resolve("run"), dir.resolve("data"))) {
      inlet.awaitReady(Duration.ofSeconds(60));
      try (GrpcClient client = new GrpcClient(inlet.grpcPort())) {
        client.createStream("s", 1);
        long shard = client.shardIds("s").get(0);
        refused(() -> client.createStream("s", 1));
        refused(() -> client.createStream("zero", 0));
        refused(
            () -> client.stub().getStream(GetStreamRequest.newBuilder().setName("nope").build()));
        refused(
            () ->
                client
                    .stub()
                    .getStream(GetStreamRequest.newBuilder().setName("x".repeat(10_000)).build()));
        refused(
            () ->
                client
                    .stub()
                    .createStream(
                        Stream.newBuilder()
                            .setStreamName("bad name!")
                            .setShardCount(1)
                            .setReplicationFactor(1)
                            .build()));
        refused(
            () ->
                client.append(
                    "s",
                    shard,
                    batch(rawRecords("k", "x", 1)).toBuilder().setBatchSize(1000).build()));
        refused(
            () ->
                client.append(
                    "s",
                    shard,
                    batch(rawRecords("k", "x", 1)).toBuilder()
                        .setPayload(ByteString.copyFromUtf8("garbage"))
                        .build()));
        refused(
            () ->
                client
                    .stub()
                    .append(
                        AppendRequest.newBuilder()
                            .setStreamName("s")
                            .setShardId(shard)
                            .setRecords(
                                batch(rawRecords("k", "x", 1)).toBuilder()
                                    .setPayload(ByteString.copyFrom(new byte[20 << 20])))
                            .build()));
        refused(
            () ->
                client
                    .stub()
                    .trimShards(
                        TrimShardsRequest.newBuilder()
                            .setStreamName("s")
                            .addRecordIds("not-a-record-id")
                            .build()));
        refused(
            () ->
                client
                    .stub()
                    .readShard(ReadShardRequest.newBuilder().setReaderId("nobody").build()));
        refused(
            () ->
                client
                    .stub()
                    .createSubscription(
                        Subscription.newBuilder()
                            .setSubscriptionId("sub")
                            .setStreamName("missing")
                            .build()));
        refused(
            () ->
                client
                    .stub()
                    .deleteSubscription(
                        DeleteSubscriptionRequest.newBuilder().setSubscriptionId("nope").build()));
        // The node still works.
        assertThat(client.append("s", shard, "ok", 1).getRecordIdsCount()).isEqualTo(1);
      }
      inlet.stop(Duration.ofSeconds(30));
      String out = inlet.output();
      List<String> loud =
          out.lines()
              .filter(
                  line ->
                      line.contains("WARN")
                          || line.contains("ERROR")
                          || line.contains("SEVERE")
                          || line.startsWith("\tat ")
                          || line.contains("Exception"))
              .toList();
      assertThat(loud).as(out).isEmpty();
    }
  }
}
