package io.inlet.server.stats;

import java.util.List;
import java.util.Optional;

/**
 * The per-stream time series HStreamDB's PerStreamTimeSeriesStats(All) answer, under the method
 * names HStreamDB accepts for them. Each is a rate per second.
 */
enum StreamSeries {
  /** Payload bytes appended durably. */
  APPEND_BYTES(List.of("append_in_bytes", "appends")),
  /** Records appended durably. */
  APPEND_RECORDS(List.of("append_in_records", "append_in_record")),
  /** Append requests, failed or not. */
  APPEND_REQUESTS(List.of("append_in_requests")),
  /** Append requests that failed. */
  APPEND_FAILED_REQUESTS(List.of("append_failed_requests")),
  /** Payload bytes read from the stream (readers and subscriptions). */
  READ_BYTES(List.of("record_bytes", "reads"));

  final List<String> methods;

  StreamSeries(List<String> methods) {
    this.methods = methods;
  }

  static Optional<StreamSeries> byMethod(String method) {
    for (StreamSeries series : values()) {
      if (series.methods.contains(method)) {
        return Optional.of(series);
      }
    }
    return Optional.empty();
  }

  static String allMethods() {
    StringBuilder out = new StringBuilder();
    for (StreamSeries series : values()) {
      for (String method : series.methods) {
        out.append(out.length() == 0 ? "" : ", ").append(method);
      }
    }
    return out.toString();
  }
}
