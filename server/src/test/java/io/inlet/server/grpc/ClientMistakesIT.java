package io.inlet.server.grpc;

import static io.inlet.server.testing.GrpcClient.assertFails;
import static io.inlet.server.testing.GrpcClient.batch;
import static io.inlet.server.testing.GrpcClient.rawRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.DeleteShardReaderRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.GetStreamRequest;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ReadStreamRequest;
import io.inlet.api.hstream.Stream;
import io.inlet.api.hstream.StreamingFetchRequest;
import io.inlet.api.hstream.StreamingFetchResponse;
import io.inlet.api.hstream.Subscription;
import io.inlet.server.InletServer;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client that gets a request wrong sees: the right status, a short message that names the
 * field, unsigned numbers as they were sent, and never its own 10,000-character name echoed back.
 */
class ClientMistakesIT {
  private static final String LONG = "n".repeat(10_000);

  @TempDir static Path dataDir;
  static InletServer server;
  static GrpcClient client;

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

  /** The call fails with INVALID_ARGUMENT and a short message about the long name. */
  private static void assertShortRefusal(ThrowingCallable call, ErrorCode code, String what) {
    String message = assertFails(call, Status.Code.INVALID_ARGUMENT, code).get("message").asText();
    assertThat(message.length()).as(message).isLessThan(300);
    assertThat(message).contains(what).contains("10000 characters").contains("255");
  }

  @Test
  void over_long_names_are_refused_without_being_echoed() {
    ErrorCode stream = ErrorCode.StreamInvalidObjectIdentifier;
    assertShortRefusal(
        () -> client.stub().getStream(GetStreamRequest.newBuilder().setName(LONG).build()),
        stream,
        "stream name");
    assertShortRefusal(() -> client.createStream(LONG, 1), stream, "stream name");
    AppendRequest append =
        AppendRequest.newBuilder()
            .setStreamName(LONG)
            .setRecords(batch(rawRecords("k", "x", 1)))
            .build();
    assertShortRefusal(() -> client.stub().append(append), stream, "stream name");
    ListShardsRequest listShards = ListShardsRequest.newBuilder().setStreamName(LONG).build();
    assertShortRefusal(() -> client.stub().listShards(listShards), stream, "stream name");
    ReadStreamRequest read = ReadStreamRequest.newBuilder().setStreamName(LONG).build();
    assertShortRefusal(() -> client.stub().readStream(read).hasNext(), stream, "stream name");
    Subscription subscription =
        Subscription.newBuilder().setSubscriptionId(LONG).setStreamName("s").build();
    assertShortRefusal(
        () -> client.stub().createSubscription(subscription),
        ErrorCode.SubscriptionInvalidObjectIdentifier,
        "subscription id");
    DeleteShardReaderRequest deleteReader =
        DeleteShardReaderRequest.newBuilder().setReaderId(LONG).build();
    assertShortRefusal(
        () -> client.stub().deleteShardReader(deleteReader),
        ErrorCode.ShardReaderInvalidObjectIdentifier,
        "reader id");
  }

  @Test
  void a_streaming_fetch_naming_an_over_long_subscription_is_refused() throws Exception {
    CompletableFuture<Throwable> failed = new CompletableFuture<>();
    StreamObserver<StreamingFetchRequest> requests =
        client.async.streamingFetch(
            new StreamObserver<StreamingFetchResponse>() {
              @Override
              public void onNext(StreamingFetchResponse value) {}

              @Override
              public void onError(Throwable t) {
                failed.complete(t);
              }

              @Override
              public void onCompleted() {
                failed.complete(null);
              }
            });
    requests.onNext(
        StreamingFetchRequest.newBuilder().setSubscriptionId(LONG).setConsumerName("c").build());
    Throwable t = failed.get(30, TimeUnit.SECONDS);
    assertThat(t).isInstanceOf(StatusRuntimeException.class);
    Status status = ((StatusRuntimeException) t).getStatus();
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription()).hasSizeLessThan(300).contains("10000 characters");
  }

  @Test
  void names_in_not_found_errors_are_shown_in_full_when_valid() {
    JsonNode body =
        assertFails(
            () -> client.stub().getStream(GetStreamRequest.newBuilder().setName("nope_1").build()),
            Status.Code.NOT_FOUND,
            ErrorCode.StreamNotFound);
    assertThat(body.get("message").asText()).isEqualTo("stream \"nope_1\" not found");
  }

  @Test
  void uint32_fields_are_printed_unsigned() {
    JsonNode shards =
        assertFails(
            () ->
                client
                    .stub()
                    .createStream(
                        Stream.newBuilder()
                            .setStreamName("u1")
                            .setShardCount(-1)
                            .setReplicationFactor(1)
                            .build()),
            Status.Code.INVALID_ARGUMENT,
            ErrorCode.StreamInvalidShardCount);
    assertThat(shards.get("message").asText()).contains("4294967295").doesNotContain("-1");
    JsonNode replication =
        assertFails(
            () ->
                client
                    .stub()
                    .createStream(
                        Stream.newBuilder()
                            .setStreamName("u2")
                            .setShardCount(1)
                            .setReplicationFactor(-2)
                            .build()),
            Status.Code.INVALID_ARGUMENT,
            ErrorCode.StreamInvalidReplicaFactor);
    assertThat(replication.get("message").asText()).contains("4294967294");
  }

  @Test
  void a_message_beyond_the_inbound_limit_gets_resource_exhausted() {
    client.createStream("huge", 1);
    long shard = client.shardIds("huge").get(0);
    byte[] twentyMiB = new byte[20 << 20];
    Throwable thrown =
        catchThrowable(
            () ->
                client
                    .stub()
                    .append(
                        AppendRequest.newBuilder()
                            .setStreamName("huge")
                            .setShardId(shard)
                            .setRecords(
                                batch(rawRecords("k", "x", 1)).toBuilder()
                                    .setPayload(ByteString.copyFrom(twentyMiB)))
                            .build()));
    assertThat(thrown).isInstanceOf(StatusRuntimeException.class);
    Status status = ((StatusRuntimeException) thrown).getStatus();
    assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    // The inbound limit at the default max-record-size: max(4 x 1 MiB, 1 MiB + 16 MiB).
    assertThat(status.getDescription()).contains(Integer.toString(17 << 20));
    // The connection stays usable.
    assertThat(client.append("huge", shard, "ok", 1).getRecordIdsCount()).isEqualTo(1);
  }
}
