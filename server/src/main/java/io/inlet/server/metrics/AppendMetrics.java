package io.inlet.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Append requests as every ingress sees them (gRPC Append today; MQTT, the broker bridge and ExHook
 * append through the same {@code StreamAppender}), per existing stream. A request naming no
 * existing stream is not counted here: its name could be anything, and labels must stay bounded
 * (gRPC calls still count it in {@code inlet_grpc_server_handled_total}).
 *
 * <p>The store counts what became durable ({@code inlet_store_append_*}); this counts what was
 * asked and what failed, for any reason.
 */
public final class AppendMetrics {
  public static final String REQUESTS = "inlet.append.requests";
  public static final String FAILURES = "inlet.append.failures";

  /** Why an append request failed. */
  public enum Reason {
    /** A client mistake: empty or oversized batch, a shard of another stream. */
    INVALID("invalid"),
    /** The store could not take it (full disk, overloaded, closing); retrying helps. */
    UNAVAILABLE("unavailable");

    final String label;

    Reason(String label) {
      this.label = label;
    }
  }

  private final MeterRegistry registry;
  private final Map<String, StreamMeters> streams = new ConcurrentHashMap<>();

  public AppendMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A request to append to {@code stream}, which exists. */
  public void requested(String stream) {
    meters(stream).requests.increment();
  }

  public void failed(String stream, Reason reason) {
    StreamMeters meters = meters(stream);
    (reason == Reason.INVALID ? meters.invalid : meters.unavailable).increment();
  }

  /** Removes the meters of streams not in {@code live} (deleted streams). */
  public void retainStreams(Set<String> live) {
    for (String stream : Set.copyOf(streams.keySet())) {
      if (!live.contains(stream)) {
        StreamMeters gone = streams.remove(stream);
        if (gone != null) {
          gone.all().forEach(registry::remove);
        }
      }
    }
  }

  private StreamMeters meters(String stream) {
    StreamMeters meters = streams.get(stream);
    return meters != null ? meters : streams.computeIfAbsent(stream, StreamMeters::new);
  }

  private final class StreamMeters {
    final Counter requests;
    final Counter invalid;
    final Counter unavailable;

    StreamMeters(String stream) {
      requests =
          Counter.builder(REQUESTS)
              .description("Append requests (batches) to the stream, from every ingress")
              .tag("stream", stream)
              .register(registry);
      invalid = failures(stream, Reason.INVALID);
      unavailable = failures(stream, Reason.UNAVAILABLE);
    }

    private Counter failures(String stream, Reason reason) {
      return Counter.builder(FAILURES)
          .description(
              "Append requests to the stream that failed, by reason: invalid (a client mistake)"
                  + " or unavailable (the store could not take it; retrying helps)")
          .tag("stream", stream)
          .tag("reason", reason.label)
          .register(registry);
    }

    Collection<Counter> all() {
      return java.util.List.of(requests, invalid, unavailable);
    }
  }
}
