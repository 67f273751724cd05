package io.inlet.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.CacheStoreStats;
import io.inlet.api.hstream.GetStatsRequest;
import io.inlet.api.hstream.GetStatsResponse;
import io.inlet.api.hstream.PerStreamTimeSeriesStatsAllRequest;
import io.inlet.api.hstream.PerStreamTimeSeriesStatsAllResponse;
import io.inlet.api.hstream.PerStreamTimeSeriesStatsRequest;
import io.inlet.api.hstream.PerStreamTimeSeriesStatsResponse;
import io.inlet.api.hstream.QueryStats;
import io.inlet.api.hstream.StatType;
import io.inlet.api.hstream.StatsIntervalVals;
import io.inlet.api.hstream.StreamStats;
import io.inlet.api.hstream.SubscriptionStats;
import io.inlet.server.metrics.AppendMetrics;
import io.inlet.server.metrics.SubscriptionMetrics;
import io.inlet.store.metrics.StoreMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StatsRpcsTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final StoreMetrics store = new StoreMetrics(registry);
  private final AppendMetrics appends = new AppendMetrics(registry);
  private final SubscriptionMetrics subscriptions = new SubscriptionMetrics(registry);
  private final StatsSampler sampler = new StatsSampler(registry, null, appends);
  private final StatsRpcs rpcs = new StatsRpcs(sampler);

  /** Captures the one response or the error of a unary call. */
  private static final class Result<T> implements StreamObserver<T> {
    final AtomicReference<T> value = new AtomicReference<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();

    @Override
    public void onNext(T v) {
      value.set(v);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
    }

    @Override
    public void onCompleted() {}

    T get() {
      assertThat(error.get()).isNull();
      return value.get();
    }

    Status status() {
      assertThat(error.get()).isNotNull();
      return Status.fromThrowable(error.get());
    }
  }

  private static StatType stream(StreamStats s) {
    return StatType.newBuilder().setStreamStat(s).build();
  }

  private static StatType sub(SubscriptionStats s) {
    return StatType.newBuilder().setSubStat(s).build();
  }

  private void append(String stream, int records, int bytes) {
    appends.requested(stream);
    store.appended(stream, records, bytes, 1_000_000);
  }

  private GetStatsResponse getStats(StatType... stats) {
    Result<GetStatsResponse> result = new Result<>();
    rpcs.getStats(GetStatsRequest.newBuilder().addAllStats(List.of(stats)).build(), result);
    return result.get();
  }

  @Test
  void get_stats_answers_totals_from_the_meters() {
    append("a", 10, 100);
    append("a", 5, 50);
    append("b", 1, 7);
    appends.requested("b");
    appends.failed("b", AppendMetrics.Reason.UNAVAILABLE);
    SubscriptionMetrics.SubscriptionMeters s = subscriptions.of("sub");
    s.sent(8, 80);
    s.resent(2);
    s.acknowledged(6);
    s.requestReceived();

    GetStatsResponse response =
        getStats(
            stream(StreamStats.AppendInBytes),
            stream(StreamStats.AppendInRecords),
            stream(StreamStats.AppendTotal),
            stream(StreamStats.AppendFailed),
            stream(StreamStats.AppendInBytes),
            sub(SubscriptionStats.SendOutRecords),
            sub(SubscriptionStats.SendOutBytes),
            sub(SubscriptionStats.ResendRecords),
            sub(SubscriptionStats.ReceivedAcks),
            sub(SubscriptionStats.RequestMessages),
            sub(SubscriptionStats.ResponseMessages));

    // Duplicates are answered once, in request order.
    assertThat(response.getStatsValuesList()).hasSize(10);
    assertThat(response.getStatsValues(0).getStatValuesMap()).containsEntry("a", 150L);
    assertThat(response.getStatsValues(0).getStatValuesMap()).containsEntry("b", 7L);
    assertThat(response.getStatsValues(1).getStatValuesMap()).containsEntry("a", 15L);
    assertThat(response.getStatsValues(2).getStatValuesMap())
        .containsEntry("a", 2L)
        .containsEntry("b", 2L);
    assertThat(response.getStatsValues(3).getStatValuesMap()).containsEntry("b", 1L);
    assertThat(response.getStatsValues(4).getStatValuesMap()).containsEntry("sub", 8L);
    assertThat(response.getStatsValues(5).getStatValuesMap()).containsEntry("sub", 80L);
    assertThat(response.getStatsValues(6).getStatValuesMap()).containsEntry("sub", 2L);
    assertThat(response.getStatsValues(7).getStatValuesMap()).containsEntry("sub", 6L);
    assertThat(response.getStatsValues(8).getStatValuesMap()).containsEntry("sub", 1L);
    assertThat(response.getStatsValues(9).getStatValuesMap()).containsEntry("sub", 2L);
    assertThat(response.getErrorsList()).isEmpty();
  }

  @Test
  void read_statistics_count_the_batches_and_bytes_read_per_stream() {
    store.read("a", 3, 300);
    store.read("a", 2, 20);
    store.read("b", 1, 5);
    GetStatsResponse response =
        getStats(stream(StreamStats.ReadInBytes), stream(StreamStats.ReadInBatches));
    assertThat(response.getStatsValues(0).getStatValuesMap())
        .containsEntry("a", 320L)
        .containsEntry("b", 5L);
    assertThat(response.getStatsValues(1).getStatValuesMap())
        .containsEntry("a", 5L)
        .containsEntry("b", 1L);
    assertThat(response.getErrorsList()).isEmpty();
  }

  @Test
  void cache_store_statistics_answer_without_values_as_inlet_has_no_cache_store() {
    GetStatsResponse response =
        getStats(StatType.newBuilder().setCacheStoreStat(CacheStoreStats.CSAppendTotal).build());
    assertThat(response.getStatsValuesList()).hasSize(1);
    assertThat(response.getStatsValues(0).getStatValuesMap()).isEmpty();
    assertThat(response.getErrorsList()).isEmpty();
  }

  @Test
  void statistics_inlet_does_not_keep_are_errors_beside_the_others() {
    append("a", 1, 1);
    GetStatsResponse response =
        getStats(
            stream(StreamStats.AppendTotal),
            sub(SubscriptionStats.ChecklistSize),
            StatType.newBuilder().setQueryStat(QueryStats.TotalInputRecords).build());
    assertThat(response.getStatsValuesList()).hasSize(1);
    assertThat(response.getErrorsList()).hasSize(2);
    assertThat(response.getErrors(1).getMessage()).contains("streaming-sql");
  }

  @Test
  void get_stats_without_a_statistic_is_invalid() {
    Result<GetStatsResponse> result = new Result<>();
    rpcs.getStats(
        GetStatsRequest.newBuilder().addStats(StatType.getDefaultInstance()).build(), result);
    assertThat(result.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  private static StatsIntervalVals intervals(int... ms) {
    StatsIntervalVals.Builder out = StatsIntervalVals.newBuilder();
    for (int m : ms) {
      out.addIntervals(m);
    }
    return out.build();
  }

  @Test
  void time_series_are_rates_per_second_over_the_intervals() {
    for (int second = 0; second < 30; second++) {
      append("a", 10, 1000);
      sampler.sample(second * SECOND);
    }
    Result<PerStreamTimeSeriesStatsResponse> one = new Result<>();
    rpcs.perStreamTimeSeriesStats(
        PerStreamTimeSeriesStatsRequest.newBuilder()
            .setMethod("appends")
            .setStreamName("a")
            .setIntervals(intervals(5_000, 10_000))
            .build(),
        one);
    assertThat(one.get().getStats().getValsList()).hasSize(2);
    assertThat(one.get().getStats().getVals(0)).isCloseTo(1000, within(1e-9));
    assertThat(one.get().getStats().getVals(1)).isCloseTo(1000, within(1e-9));

    Result<PerStreamTimeSeriesStatsAllResponse> all = new Result<>();
    rpcs.perStreamTimeSeriesStatsAll(
        PerStreamTimeSeriesStatsAllRequest.newBuilder()
            .setMethod("append_in_records")
            .setIntervals(intervals(4_000))
            .build(),
        all);
    assertThat(all.get().getStatsMap()).containsOnlyKeys("a");
    assertThat(all.get().getStatsMap().get("a").getVals(0)).isCloseTo(10, within(1e-9));
  }

  @Test
  void an_unknown_stream_or_no_intervals_answer_without_values() {
    append("a", 1, 1);
    sampler.sample(0);
    Result<PerStreamTimeSeriesStatsResponse> unknown = new Result<>();
    rpcs.perStreamTimeSeriesStats(
        PerStreamTimeSeriesStatsRequest.newBuilder()
            .setMethod("appends")
            .setStreamName("nope")
            .setIntervals(intervals(1000))
            .build(),
        unknown);
    assertThat(unknown.get().hasStats()).isFalse();
    Result<PerStreamTimeSeriesStatsAllResponse> none = new Result<>();
    rpcs.perStreamTimeSeriesStatsAll(
        PerStreamTimeSeriesStatsAllRequest.newBuilder().setMethod("appends").build(), none);
    assertThat(none.get().getStatsMap()).isEmpty();
  }

  @Test
  void unknown_methods_and_intervals_beyond_an_hour_are_invalid() {
    Result<PerStreamTimeSeriesStatsResponse> method = new Result<>();
    rpcs.perStreamTimeSeriesStats(
        PerStreamTimeSeriesStatsRequest.newBuilder()
            .setMethod("bogus")
            .setStreamName("a")
            .setIntervals(intervals(1000))
            .build(),
        method);
    assertThat(method.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(method.status().getDescription()).contains("append_in_bytes");
    Result<PerStreamTimeSeriesStatsAllResponse> interval = new Result<>();
    rpcs.perStreamTimeSeriesStatsAll(
        PerStreamTimeSeriesStatsAllRequest.newBuilder()
            .setMethod("appends")
            .setIntervals(intervals(3_600_001))
            .build(),
        interval);
    assertThat(interval.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
