package io.inlet.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * StreamingFetch meters per subscription, for the subscriptions whose delivery ran on this node
 * since it started. A subscription's meters are removed when it is deleted.
 */
public final class SubscriptionMetrics {
  public static final String SENT_RECORDS = "inlet.subscription.sent.records";
  public static final String SENT_BYTES = "inlet.subscription.sent.bytes";
  public static final String RESENT_RECORDS = "inlet.subscription.resent.records";
  public static final String ACKS = "inlet.subscription.acks";
  public static final String REQUESTS = "inlet.subscription.fetch.requests";
  public static final String RESPONSES = "inlet.subscription.fetch.responses";
  public static final String UNACKED = "inlet.subscription.unacked.records";
  public static final String CONSUMERS = "inlet.subscription.consumers";
  public static final String MEMORY = "inlet.subscription.memory";

  private final MeterRegistry registry;
  private final Map<String, SubscriptionMeters> subscriptions = new ConcurrentHashMap<>();

  public SubscriptionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The meters of a subscription, registered on first use. */
  public SubscriptionMeters of(String subscription) {
    SubscriptionMeters meters = subscriptions.get(subscription);
    return meters != null
        ? meters
        : subscriptions.computeIfAbsent(subscription, SubscriptionMeters::new);
  }

  /** Removes a deleted subscription's meters. */
  public void deleted(String subscription) {
    SubscriptionMeters meters = subscriptions.remove(subscription);
    if (meters != null) {
      meters.all.forEach(registry::remove);
    }
  }

  /** One subscription's meters. Thread-safe. */
  public final class SubscriptionMeters {
    private final Counter sentRecords;
    private final Counter sentBytes;
    private final Counter resentRecords;
    private final Counter acks;
    private final Counter requests;
    private final Counter responses;
    private final AtomicLong unacked = new AtomicLong();
    private final AtomicLong consumers = new AtomicLong();
    private final AtomicLong memory = new AtomicLong();
    private final List<Meter> all;

    private SubscriptionMeters(String subscription) {
      sentRecords =
          counter(SENT_RECORDS, "Records delivered for the first time", subscription, null);
      sentBytes =
          counter(
              SENT_BYTES,
              "Payload bytes of the batches delivered for the first time",
              subscription,
              "bytes");
      resentRecords =
          counter(
              RESENT_RECORDS,
              "Records delivered again: their ack timed out or their consumer left",
              subscription,
              null);
      acks = counter(ACKS, "Records acknowledged (each record once)", subscription, null);
      requests =
          counter(
              REQUESTS,
              "StreamingFetch request messages received (joins and acknowledgements)",
              subscription,
              null);
      responses =
          counter(
              RESPONSES,
              "StreamingFetch response messages sent (one per batch)",
              subscription,
              null);
      Gauge unackedGauge =
          Gauge.builder(UNACKED, unacked, AtomicLong::get)
              .description(
                  "Records delivered but not acknowledged yet (bounded by maxUnackedRecords and the"
                      + " server's subscription-max-unacked-records)")
              .tag("subscription", subscription)
              .register(registry);
      Gauge consumersGauge =
          Gauge.builder(CONSUMERS, consumers, AtomicLong::get)
              .description("Consumers connected through StreamingFetch")
              .tag("subscription", subscription)
              .register(registry);
      Gauge memoryGauge =
          Gauge.builder(MEMORY, memory, AtomicLong::get)
              .description(
                  "Heap the subscription's delivery holds, about: bookkeeping of unacknowledged"
                      + " records and batches read ahead (payloads of delivered records are not"
                      + " kept; redelivery reads them again)")
              .baseUnit("bytes")
              .tag("subscription", subscription)
              .register(registry);
      all =
          List.of(
              sentRecords,
              sentBytes,
              resentRecords,
              acks,
              requests,
              responses,
              unackedGauge,
              consumersGauge,
              memoryGauge);
    }

    private Counter counter(String name, String description, String subscription, String unit) {
      return Counter.builder(name)
          .description(description)
          .baseUnit(unit)
          .tag("subscription", subscription)
          .register(registry);
    }

    public void sent(int records, long bytes) {
      sentRecords.increment(records);
      sentBytes.increment(bytes);
      responses.increment();
    }

    public void resent(int records) {
      resentRecords.increment(records);
      responses.increment();
    }

    public void acknowledged(int records) {
      acks.increment(records);
    }

    public void requestReceived() {
      requests.increment();
    }

    public void unacked(long records) {
      unacked.set(records);
    }

    public void consumers(int count) {
      consumers.set(count);
    }

    public void memory(long bytes) {
      memory.set(bytes);
    }
  }
}
