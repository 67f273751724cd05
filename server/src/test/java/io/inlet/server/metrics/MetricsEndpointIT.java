package io.inlet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.hstream.CreateShardReaderRequest;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.DeleteSubscriptionRequest;
import io.inlet.api.hstream.GetStatsRequest;
import io.inlet.api.hstream.GetStatsResponse;
import io.inlet.api.hstream.PerStreamTimeSeriesStatsRequest;
import io.inlet.api.hstream.ReadShardRequest;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StatType;
import io.inlet.api.hstream.StatsIntervalVals;
import io.inlet.api.hstream.StreamStats;
import io.inlet.api.hstream.Subscription;
import io.inlet.api.hstream.SubscriptionStats;
import io.inlet.server.InletServer;
import io.inlet.server.testing.AckingConsumer;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics of a live node, and the stats RPCs answering from the same meters. */
class MetricsEndpointIT {
  @TempDir Path dir;

  private static HttpResponse<String> get(int port, String path, String method) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the sample {@code series} (name and labels exactly as exposed), if any. */
  static OptionalDouble sample(String scrape, String series) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(scrape);
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }

  private static String scrape(InletServer server) throws Exception {
    return get(server.httpPort(), "/metrics", "GET").body();
  }

  @Test
  void metrics_are_served_in_the_prometheus_text_format() throws Exception {
    try (InletServer server = TestServers.start(dir.resolve("data"))) {
      HttpResponse<String> metrics = get(server.httpPort(), "/metrics", "GET");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.body())
          .contains("# HELP inlet_store_append_latency_seconds ")
          .contains("# TYPE inlet_store_append_latency_seconds histogram")
          .contains("jvm_memory_used_bytes{");
      assertThat(sample(metrics.body(), "inlet_ready")).hasValue(1);
      assertThat(get(server.httpPort(), "/metrics", "HEAD").statusCode()).isEqualTo(200);
      assertThat(get(server.httpPort(), "/metrics", "POST").statusCode()).isEqualTo(405);
    }
  }

  @Test
  void appends_show_on_metrics_and_in_the_stats_rpcs_alike() throws Exception {
    try (InletServer server = TestServers.start(dir.resolve("data"));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("s", 1);
      long shard = client.shardIds("s").get(0);
      for (int i = 0; i < 3; i++) {
        client.append("s", shard, "r", 5);
      }
      String scrape = scrape(server);
      assertThat(sample(scrape, "inlet_store_append_records_total{stream=\"s\"}")).hasValue(15);
      assertThat(sample(scrape, "inlet_store_append_batches_total{stream=\"s\"}")).hasValue(3);
      assertThat(sample(scrape, "inlet_append_requests_total{stream=\"s\"}")).hasValue(3);
      assertThat(sample(scrape, "inlet_grpc_server_handled_total{method=\"Append\",status=\"OK\"}"))
          .hasValue(3);
      assertThat(sample(scrape, "inlet_store_streams")).hasValue(1);

      GetStatsResponse stats =
          client
              .stub()
              .getStats(
                  GetStatsRequest.newBuilder()
                      .addStats(StatType.newBuilder().setStreamStat(StreamStats.AppendInRecords))
                      .addStats(StatType.newBuilder().setStreamStat(StreamStats.AppendTotal))
                      .build());
      assertThat(stats.getStatsValues(0).getStatValuesMap()).containsEntry("s", 15L);
      assertThat(stats.getStatsValues(1).getStatValuesMap()).containsEntry("s", 3L);

      PerStreamTimeSeriesStatsRequest rates =
          PerStreamTimeSeriesStatsRequest.newBuilder()
              .setMethod("append_in_records")
              .setStreamName("s")
              .setIntervals(StatsIntervalVals.newBuilder().addIntervals(60_000))
              .build();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      double rate = 0;
      while (rate == 0 && System.nanoTime() < deadline) {
        var response = client.stub().perStreamTimeSeriesStats(rates);
        rate = response.hasStats() ? response.getStats().getVals(0) : 0;
        Thread.sleep(100);
      }
      assertThat(rate).as("append_in_records over 60 s").isPositive();

      client
          .stub()
          .deleteStream(DeleteStreamRequest.newBuilder().setStreamName("s").setForce(true).build());
      assertThat(scrape(server)).doesNotContain("inlet_store_append_records_total{stream=\"s\"}");
    }
  }

  @Test
  void shard_reads_show_in_get_stats_read_in_bytes_and_batches() throws Exception {
    try (InletServer server = TestServers.start(dir.resolve("data"));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("s", 1);
      long shard = client.shardIds("s").get(0);
      for (int i = 0; i < 3; i++) {
        client.append("s", shard, "r", 4);
      }
      client
          .stub()
          .createShardReader(
              CreateShardReaderRequest.newBuilder()
                  .setStreamName("s")
                  .setShardId(shard)
                  .setReaderId("stats-reader")
                  .setShardOffset(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST))
                  .build());
      int batches =
          client
              .stub()
              .readShard(
                  ReadShardRequest.newBuilder()
                      .setReaderId("stats-reader")
                      .setMaxRecords(100)
                      .build())
              .getReceivedRecordsCount();
      assertThat(batches).isEqualTo(3);

      GetStatsResponse stats =
          client
              .stub()
              .getStats(
                  GetStatsRequest.newBuilder()
                      .addStats(StatType.newBuilder().setStreamStat(StreamStats.ReadInBatches))
                      .addStats(StatType.newBuilder().setStreamStat(StreamStats.ReadInBytes))
                      .build());
      assertThat(stats.getErrorsList()).isEmpty();
      assertThat(stats.getStatsValues(0).getStatValuesMap()).containsEntry("s", 3L);
      assertThat(stats.getStatsValues(1).getStatValuesMap().get("s")).isPositive();
    }
  }

  @Test
  void streaming_fetch_shows_per_subscription_and_in_get_stats() throws Exception {
    try (InletServer server = TestServers.start(dir.resolve("data"));
        GrpcClient client = new GrpcClient(server.grpcPort())) {
      client.createStream("s", 1);
      long shard = client.shardIds("s").get(0);
      for (int i = 0; i < 4; i++) {
        client.append("s", shard, "r", 5);
      }
      client
          .stub()
          .createSubscription(
              Subscription.newBuilder()
                  .setSubscriptionId("sub")
                  .setStreamName("s")
                  .setOffset(SpecialOffset.EARLIEST)
                  .build());
      AckingConsumer consumer = new AckingConsumer(client, "sub", "c1");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      String scrape = scrape(server);
      while (System.nanoTime() < deadline
          && !(sample(scrape, "inlet_subscription_acks_total{subscription=\"sub\"}").orElse(0) >= 20
              && sample(scrape, "inlet_subscription_unacked_records{subscription=\"sub\"}")
                      .orElse(-1)
                  == 0)) {
        Thread.sleep(50);
        scrape = scrape(server);
      }
      // A scrape reads one meter after another while the call goes on, so the one that saw the
      // last ack may have read the request counter before the ack's request was counted: read
      // them all again now that every ack has been counted.
      scrape = scrape(server);
      assertThat(consumer.acked()).isEqualTo(20);
      assertThat(sample(scrape, "inlet_subscription_sent_records_total{subscription=\"sub\"}"))
          .hasValue(20);
      assertThat(sample(scrape, "inlet_subscription_acks_total{subscription=\"sub\"}"))
          .hasValue(20);
      assertThat(sample(scrape, "inlet_subscription_fetch_responses_total{subscription=\"sub\"}"))
          .hasValue(4);
      assertThat(sample(scrape, "inlet_subscription_fetch_requests_total{subscription=\"sub\"}"))
          .hasValue(5);
      assertThat(sample(scrape, "inlet_subscription_consumers{subscription=\"sub\"}")).hasValue(1);
      assertThat(sample(scrape, "inlet_subscription_unacked_records{subscription=\"sub\"}"))
          .hasValue(0);
      assertThat(sample(scrape, "inlet_store_read_batches_total{stream=\"s\"}")).hasValue(4);

      GetStatsResponse stats =
          client
              .stub()
              .getStats(
                  GetStatsRequest.newBuilder()
                      .addStats(StatType.newBuilder().setSubStat(SubscriptionStats.SendOutRecords))
                      .addStats(StatType.newBuilder().setSubStat(SubscriptionStats.ReceivedAcks))
                      .build());
      assertThat(stats.getStatsValues(0).getStatValuesMap()).containsEntry("sub", 20L);
      assertThat(stats.getStatsValues(1).getStatValuesMap()).containsEntry("sub", 20L);

      client
          .stub()
          .deleteSubscription(
              DeleteSubscriptionRequest.newBuilder()
                  .setSubscriptionId("sub")
                  .setForce(true)
                  .build());
      assertThat(scrape(server)).doesNotContain("subscription=\"sub\"");
    }
  }
}
