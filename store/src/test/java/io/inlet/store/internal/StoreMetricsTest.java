package io.inlet.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.store.StoreOptions;
import io.inlet.store.StreamInfo;
import io.inlet.store.StreamSpec;
import io.inlet.store.metrics.StoreMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreMetricsTest {
  @TempDir Path dir;

  private final MeterRegistry registry = new SimpleMeterRegistry();

  private RocksStreamStore open() {
    return RocksStreamStore.open(new StoreOptions(dir, Duration.ofMinutes(1), false, registry));
  }

  private double counter(String name, String stream) {
    var counter = registry.find(name).tag("stream", stream).counter();
    return counter == null ? Double.NaN : counter.count();
  }

  private double gauge(String name) {
    var gauge = registry.find(name).gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  @Test
  void appends_and_reads_are_counted_per_stream_with_latency_and_group_commits() {
    try (RocksStreamStore store = open()) {
      StreamInfo stream = store.streams().create(new StreamSpec("sensors", 2, 1, 0));
      long shard = stream.shards().get(0).shardId();
      var batch = TestStores.batch("t", 5);
      TestStores.await(store.log().append("sensors", shard, batch));
      TestStores.await(store.log().append("sensors", shard, TestStores.batch("u", 3)));

      assertThat(counter(StoreMetrics.APPEND_BATCHES, "sensors")).isEqualTo(2);
      assertThat(counter(StoreMetrics.APPEND_RECORDS, "sensors")).isEqualTo(8);
      assertThat(counter(StoreMetrics.APPEND_BYTES, "sensors"))
          .isEqualTo(batch.payload().size() + TestStores.batch("u", 3).payload().size());
      Timer latency = registry.find(StoreMetrics.APPEND_LATENCY).timer();
      assertThat(latency.count()).isEqualTo(2);
      assertThat(registry.find(StoreMetrics.GROUP_COMMIT_SYNC).timer().count()).isBetween(1L, 2L);
      assertThat(registry.find(StoreMetrics.GROUP_COMMIT_BATCHES).summary().totalAmount())
          .isEqualTo(2);

      assertThat(store.log().read(shard, 1, 10)).hasSize(2);
      assertThat(counter(StoreMetrics.READ_BATCHES, "sensors")).isEqualTo(2);
      assertThat(counter(StoreMetrics.READ_BYTES, "sensors"))
          .isEqualTo(counter(StoreMetrics.APPEND_BYTES, "sensors"));
    }
  }

  @Test
  void storage_gauges_read_the_open_store_and_nothing_once_it_is_closed() {
    RocksStreamStore store = open();
    try {
      StreamInfo stream = store.streams().create(new StreamSpec("disk", 1, 1, 0));
      TestStores.await(
          store.log().append("disk", stream.shards().get(0).shardId(), TestStores.batch("d", 50)));
      // Gauges hold what they read weakly: a GC must not turn them into NaN.
      System.gc();
      assertThat(gauge(StoreMetrics.STREAMS)).isEqualTo(1);
      assertThat(gauge(StoreMetrics.SHARDS)).isEqualTo(1);
      assertThat(gauge(StoreMetrics.MEMTABLES)).isPositive();
      assertThat(gauge(StoreMetrics.WRITE_STOPPED)).isZero();
      assertThat(gauge(StoreMetrics.WRITES_REFUSED)).isZero();
      assertThat(gauge(StoreMetrics.PENDING_COMPACTION)).isNotNaN();
      assertThat(gauge(StoreMetrics.DELAYED_WRITE_RATE)).isNotNaN();
      assertThat(registry.find(StoreMetrics.BLOCK_CACHE_MISSES).functionCounter().count())
          .isNotNaN();
      assertThat(registry.find(StoreMetrics.STREAM_DISK).tag("stream", "disk").gauge().value())
          .isPositive();
    } finally {
      store.close();
    }
    assertThat(gauge(StoreMetrics.MEMTABLES)).isNaN();
    assertThat(registry.find(StoreMetrics.STREAM_DISK).tag("stream", "disk").gauge().value())
        .isNaN();
  }

  @Test
  void a_recovered_stream_has_a_disk_gauge_and_a_deleted_one_loses_its_meters() {
    try (RocksStreamStore store = open()) {
      StreamInfo stream = store.streams().create(new StreamSpec("kept", 1, 1, 0));
      TestStores.await(
          store.log().append("kept", stream.shards().get(0).shardId(), TestStores.batch("k", 2)));
    }
    for (Meter meter : registry.getMeters()) {
      registry.remove(meter);
    }
    try (RocksStreamStore store = open()) {
      assertThat(registry.find(StoreMetrics.STREAM_DISK).tag("stream", "kept").gauge()).isNotNull();
      StreamInfo gone = store.streams().create(new StreamSpec("gone", 1, 1, 0));
      TestStores.await(
          store.log().append("gone", gone.shards().get(0).shardId(), TestStores.batch("g", 2)));
      assertThat(registry.find(StoreMetrics.APPEND_BATCHES).tag("stream", "gone").counter())
          .isNotNull();
      store.streams().delete("gone", true);
      assertThat(registry.getMeters()).noneMatch(m -> "gone".equals(m.getId().getTag("stream")));
    }
  }

  @Test
  void stream_disk_usage_is_computed_at_most_every_ten_seconds() {
    AtomicLong now = new AtomicLong();
    try (RocksStreamStore store = open()) {
      StreamInfo stream = store.streams().create(new StreamSpec("cached", 1, 1, 0));
      StreamDiskUsage usage =
          new StreamDiskUsage(
              store.database(), store.gate(), (RocksStreamCatalog) store.streams(), now::get);
      double before = usage.bytes("cached");
      TestStores.await(
          store
              .log()
              .append("cached", stream.shards().get(0).shardId(), TestStores.batch("c", 200)));
      now.addAndGet(StreamDiskUsage.MAX_AGE_NANOS - 1);
      assertThat(usage.bytes("cached")).isEqualTo(before);
      now.addAndGet(1);
      assertThat(usage.bytes("cached")).isGreaterThan(before);
      assertThat(usage.bytes("no-such-stream")).isNaN();
    }
  }

  @Test
  void every_store_meter_has_a_description() {
    try (RocksStreamStore store = open()) {
      StreamInfo stream = store.streams().create(new StreamSpec("described", 1, 1, 0));
      TestStores.await(
          store
              .log()
              .append("described", stream.shards().get(0).shardId(), TestStores.batch("x", 1)));
      assertThat(registry.getMeters()).isNotEmpty();
      for (Meter meter : registry.getMeters()) {
        if (meter.getId().getName().endsWith(".histogram")) {
          continue; // the simple registry's view of a timer's buckets, not a meter of ours
        }
        assertThat(meter.getId().getName()).startsWith("inlet.store.");
        assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
      }
    }
  }
}
