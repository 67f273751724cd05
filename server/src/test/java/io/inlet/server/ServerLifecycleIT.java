package io.inlet.server;

import static io.inlet.server.testing.GrpcClient.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.AppendResponse;
import io.inlet.api.hstream.CreateShardReaderRequest;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.GetStreamRequest;
import io.inlet.api.hstream.ListShardReadersRequest;
import io.inlet.api.hstream.ReadShardRequest;
import io.inlet.api.hstream.ReadShardResponse;
import io.inlet.api.hstream.ReadShardStreamRequest;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerLifecycleIT {
  @TempDir Path dir;

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void health_and_ready_answer_json() throws Exception {
    try (InletServer server = TestServers.start(dir.resolve("data"))) {
      HttpResponse<String> health = get(server.httpPort(), "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
      HttpResponse<String> ready = get(server.httpPort(), "/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body())
          .contains("\"ready\":true")
          .contains("\"store\":\"open\"")
          .contains("\"port\":" + server.grpcPort());
      assertThat(get(server.httpPort(), "/nope").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void a_grpc_port_in_use_is_a_clear_error() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      ServerConfig config =
          ServerConfig.forTests(dir.resolve("data"), Map.of("grpc-port", Integer.toString(port)));
      assertThatThrownBy(() -> TestServers.start(config))
          .isInstanceOf(StartupException.class)
          .hasMessage(
              "grpc-port "
                  + port
                  + " is already in use; choose another with --grpc-port (0 picks a free port)");
      // nothing stays open: the same data dir opens again
      TestServers.start(ServerConfig.forTests(dir.resolve("data"))).close();
    }
  }

  @Test
  void an_http_port_in_use_is_a_clear_error() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      ServerConfig config =
          ServerConfig.forTests(dir.resolve("data"), Map.of("http-port", Integer.toString(port)));
      assertThatThrownBy(() -> TestServers.start(config))
          .isInstanceOf(StartupException.class)
          .hasMessageStartingWith(
              "http-port " + port + " is already in use; choose another with --http-port");
    }
  }

  @Test
  void a_data_dir_that_cannot_be_created_is_a_clear_error() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    ServerConfig config = ServerConfig.forTests(file.resolve("data"));
    assertThatThrownBy(() -> InletServer.start(config))
        .isInstanceOf(StartupException.class)
        .hasMessageStartingWith("data-dir " + file.resolve("data") + " cannot be created")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> InletServer.start(ServerConfig.forTests(file)))
        .isInstanceOf(StartupException.class)
        .hasMessageStartingWith("data-dir " + file);
  }

  @Test
  void a_data_dir_in_use_by_another_node_is_a_clear_error() {
    Path data = dir.resolve("data");
    try (InletServer first = TestServers.start(data)) {
      assertThatThrownBy(() -> TestServers.start(data))
          .isInstanceOf(StartupException.class)
          .hasMessageStartingWith("data-dir " + data + " cannot be opened: ")
          .hasMessageNotContaining("\n");
      assertThat(first.store().streams().list("")).isEmpty();
    }
  }

  @Test
  void a_store_that_fails_to_open_is_a_clear_error() {
    ServerConfig config = ServerConfig.forTests(dir.resolve("data"));
    assertThatThrownBy(
            () ->
                InletServer.builder(config)
                    .storeOpener(
                        options -> {
                          throw new IllegalStateException("LOCK held by another process\nmore");
                        })
                    .start())
        .isInstanceOf(StartupException.class)
        .hasMessage(
            "data-dir " + dir.resolve("data") + " cannot be opened: LOCK held by another process");
  }

  @Test
  void close_is_idempotent_and_ends_streaming_reads_with_unavailable() throws Exception {
    InletServer server = TestServers.start(dir.resolve("data"));
    try (GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("tailing", 1);
      long shard = client.shardIds("tailing").get(0);
      Iterator<?> tail =
          client
              .stub()
              .readShardStream(
                  ReadShardStreamRequest.newBuilder()
                      .setShardId(shard)
                      .setFrom(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                      .build());
      client.append("tailing", shard, "x", 1);
      assertThat(tail.hasNext()).isTrue();
      tail.next();
      client
          .stub()
          .createShardReader(
              CreateShardReaderRequest.newBuilder()
                  .setReaderId("waiting")
                  .setStreamName("tailing")
                  .setShardId(shard)
                  .setShardOffset(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST))
                  .setTimeout(600_000)
                  .build());
      CompletableFuture<Object> waitingRead = new CompletableFuture<>();
      client.async.readShard(
          ReadShardRequest.newBuilder().setReaderId("waiting").setMaxRecords(1).build(),
          new StreamObserver<>() {
            @Override
            public void onNext(ReadShardResponse value) {
              waitingRead.complete(value);
            }

            @Override
            public void onError(Throwable t) {
              waitingRead.complete(t);
            }

            @Override
            public void onCompleted() {}
          });
      Thread closer = new Thread(server::close);
      closer.start();
      assertThatThrownBy(
              () -> {
                while (tail.hasNext()) {
                  tail.next();
                }
              })
          .isInstanceOf(StatusRuntimeException.class)
          .satisfies(
              e ->
                  assertThat(((StatusRuntimeException) e).getStatus().getCode())
                      .isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED));
      // a ReadShard waiting for data ends with UNAVAILABLE instead of holding up the shutdown
      Object read = waitingRead.get(30, TimeUnit.SECONDS);
      assertThat(read).isInstanceOf(StatusRuntimeException.class);
      assertThat(((StatusRuntimeException) read).getStatus().getCode())
          .isEqualTo(Status.Code.UNAVAILABLE);
      closer.join(30_000);
      server.close();
      assertThat(closer.isAlive()).isFalse();
    }
  }

  @Test
  void a_restart_keeps_streams_records_and_readers() throws Exception {
    Path data = dir.resolve("data");
    AppendResponse acked;
    try (InletServer server = TestServers.start(data);
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("durable", 2);
      acked = client.append("durable", client.shardIds("durable").get(1), "keep", 4);
      client
          .stub()
          .createShardReader(
              CreateShardReaderRequest.newBuilder()
                  .setReaderId("survivor")
                  .setStreamName("durable")
                  .setShardId(acked.getShardId())
                  .build());
    }
    try (InletServer server = TestServers.start(data);
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      assertThat(
              client
                  .stub()
                  .getStream(GetStreamRequest.newBuilder().setName("durable").build())
                  .getStream()
                  .getShardCount())
          .isEqualTo(2);
      assertThat(client.shardIds("durable")).contains(acked.getShardId());
      assertThat(
              client
                  .stub()
                  .listShardReaders(ListShardReadersRequest.getDefaultInstance())
                  .getReaderIdList())
          .contains("survivor");
      List<ReceivedRecord> read =
          client
              .stub()
              .readShard(
                  ReadShardRequest.newBuilder().setReaderId("survivor").setMaxRecords(10).build())
              .getReceivedRecordsList();
      assertThat(read).hasSize(1);
      assertThat(read.get(0).getRecordIdsList()).isEqualTo(acked.getRecordIdsList());
    }
  }

  @Test
  void retention_deletes_records_older_than_the_backlog() throws Exception {
    ServerConfig config =
        ServerConfig.forTests(dir.resolve("data"), Map.of("retention-check-interval", "100ms"));
    try (InletServer server = TestServers.start(config);
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("short", 1, 1);
      long shard = client.shardIds("short").get(0);
      client.append("short", shard, "old", 3);
      client
          .stub()
          .createShardReader(
              CreateShardReaderRequest.newBuilder()
                  .setReaderId("retention-probe")
                  .setStreamName("short")
                  .setShardId(shard)
                  .build());
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (server.store().log().position(shard).firstLsn() <= 1) {
        assertThat(System.nanoTime()).as("records still there after 20 s").isLessThan(deadline);
        Thread.sleep(50); // polling a condition with a deadline
      }
      assertThat(
              client
                  .stub()
                  .readShard(
                      ReadShardRequest.newBuilder()
                          .setReaderId("retention-probe")
                          .setMaxRecords(10)
                          .build())
                  .getReceivedRecordsList())
          .isEmpty();
    }
  }

  @Test
  void unknown_stream_after_restart_is_still_not_found() throws Exception {
    try (InletServer server = TestServers.start(dir.resolve("data"));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      assertFails(
          () -> client.stub().getStream(GetStreamRequest.newBuilder().setName("ghost").build()),
          Status.Code.NOT_FOUND,
          ErrorCode.StreamNotFound);
    }
  }
}
