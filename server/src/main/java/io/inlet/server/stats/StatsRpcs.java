package io.inlet.server.stats;

import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.GetStatsRequest;
import io.inlet.api.hstream.GetStatsResponse;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.PerStreamTimeSeriesStatsAllRequest;
import io.inlet.api.hstream.PerStreamTimeSeriesStatsAllResponse;
import io.inlet.api.hstream.PerStreamTimeSeriesStatsRequest;
import io.inlet.api.hstream.PerStreamTimeSeriesStatsResponse;
import io.inlet.api.hstream.StatError;
import io.inlet.api.hstream.StatType;
import io.inlet.api.hstream.StatValue;
import io.inlet.api.hstream.StatsDoubleVals;
import io.inlet.api.hstream.StatsIntervalVals;
import io.inlet.server.grpc.GrpcErrors;
import io.inlet.server.grpc.RpcGroup;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * HStreamDB's statistics RPCs, answered from the node's meters: GetStats returns counter totals per
 * stream or subscription ({@link StatTotals}); PerStreamTimeSeriesStats(All) return per-second
 * rates over the requested intervals (milliseconds, at most one hour) from {@link StreamRates}.
 *
 * <p>As in HStreamDB: a request without intervals, or for a stream without statistics, gets a
 * response without values; a GetStats request naming no statistic fails with INVALID_ARGUMENT; a
 * statistic Inlet does not keep is reported in {@code errors}, the others still answer.
 */
public final class StatsRpcs implements RpcGroup {
  private final StreamRates rates;
  private final StatTotals totals;

  public StatsRpcs(StatsSampler sampler) {
    this.rates = sampler.rates();
    this.totals = new StatTotals(sampler.totals());
  }

  @Override
  public Set<MethodDescriptor<?, ?>> methods() {
    return Set.of(
        HStreamApiGrpc.getGetStatsMethod(),
        HStreamApiGrpc.getPerStreamTimeSeriesStatsMethod(),
        HStreamApiGrpc.getPerStreamTimeSeriesStatsAllMethod());
  }

  @Override
  public void getStats(GetStatsRequest request, StreamObserver<GetStatsResponse> out) {
    unary(
        out,
        () -> {
          Set<StatType> stats = new LinkedHashSet<>();
          for (StatType stat : request.getStatsList()) {
            if (stat.getStatCase() != StatType.StatCase.STAT_NOT_SET) {
              stats.add(stat);
            }
          }
          if (stats.isEmpty()) {
            throw GrpcErrors.invalidArgument(
                ErrorCode.InternalError,
                "GetStats: name at least one statistic (streamStat or subStat)");
          }
          GetStatsResponse.Builder response = GetStatsResponse.newBuilder();
          for (StatType stat : stats) {
            try {
              response.addStatsValues(
                  StatValue.newBuilder().setStatType(stat).putAllStatValues(totals.of(stat)));
            } catch (StatTotals.NotKept e) {
              response.addErrors(
                  StatError.newBuilder().setStatType(stat).setMessage(e.getMessage()));
            }
          }
          return response.build();
        });
  }

  @Override
  public void perStreamTimeSeriesStats(
      PerStreamTimeSeriesStatsRequest request,
      StreamObserver<PerStreamTimeSeriesStatsResponse> out) {
    unary(
        out,
        () -> {
          StreamSeries series = series(request.getMethod());
          PerStreamTimeSeriesStatsResponse.Builder response =
              PerStreamTimeSeriesStatsResponse.newBuilder();
          intervals(request.hasIntervals(), request.getIntervals())
              .flatMap(intervals -> rates.rates(request.getStreamName(), series, intervals))
              .ifPresent(values -> response.setStats(vals(values)));
          return response.build();
        });
  }

  @Override
  public void perStreamTimeSeriesStatsAll(
      PerStreamTimeSeriesStatsAllRequest request,
      StreamObserver<PerStreamTimeSeriesStatsAllResponse> out) {
    unary(
        out,
        () -> {
          StreamSeries series = series(request.getMethod());
          PerStreamTimeSeriesStatsAllResponse.Builder response =
              PerStreamTimeSeriesStatsAllResponse.newBuilder();
          intervals(request.hasIntervals(), request.getIntervals())
              .map(intervals -> rates.allRates(series, intervals))
              .ifPresent(all -> all.forEach((stream, v) -> response.putStats(stream, vals(v))));
          return response.build();
        });
  }

  private static StreamSeries series(String method) {
    return StreamSeries.byMethod(method)
        .orElseThrow(
            () ->
                GrpcErrors.invalidArgument(
                    ErrorCode.InternalError,
                    "unknown statistic method \""
                        + method
                        + "\"; known: "
                        + StreamSeries.allMethods()));
  }

  /** The intervals in ms, or empty when none were given; each must be 1 ms to one hour. */
  static Optional<long[]> intervals(boolean present, StatsIntervalVals given) {
    if (!present || given.getIntervalsCount() == 0) {
      return Optional.empty();
    }
    long[] intervals = new long[given.getIntervalsCount()];
    for (int i = 0; i < intervals.length; i++) {
      int ms = given.getIntervals(i);
      if (ms <= 0 || ms > StreamRates.MAX_INTERVAL_MS) {
        throw GrpcErrors.invalidArgument(
            ErrorCode.InternalError,
            "intervals are milliseconds in 1.."
                + StreamRates.MAX_INTERVAL_MS
                + " (one hour), found: "
                + ms);
      }
      intervals[i] = ms;
    }
    return Optional.of(intervals);
  }

  private static StatsDoubleVals vals(double[] values) {
    StatsDoubleVals.Builder out = StatsDoubleVals.newBuilder();
    for (double v : values) {
      out.addVals(v);
    }
    return out.build();
  }

  private static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (RuntimeException e) {
      out.onError(GrpcErrors.toStatus(e));
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }
}
