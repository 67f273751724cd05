package io.inlet.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.inlet.bridge.rules.IngestCounters;
import io.inlet.emqx.ExHookStats;
import io.inlet.server.net.ConnectionLimiter;
import io.inlet.server.read.DamagedBatches;
import io.inlet.store.StoreOptions;
import io.inlet.store.StreamStore;
import io.inlet.store.metrics.StorageProbe;
import io.inlet.store.metrics.StoreMetrics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Inlet meter, as Prometheus scrapes it, follows the conventions: an {@code inlet_} name with
 * a description, {@code _total} counters, {@code _seconds} timers, {@code _bytes} sizes, and only
 * bounded labels.
 */
class MeterDefinitionsTest {
  private static final Set<String> BOUNDED_LABELS =
      Set.of(
          "stream",
          "subscription",
          "method",
          "status",
          "reason",
          "version",
          "node",
          "le",
          "upstream",
          "outcome",
          "hook",
          "answer",
          "listener");
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})? .*$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  @TempDir Path dir;
  private InletMetrics metrics;
  private StreamStore streamStore;
  private final Map<String, String> help = new HashMap<>();
  private final Map<String, String> types = new HashMap<>();
  private final Map<String, Set<String>> labels = new HashMap<>();

  @BeforeEach
  void exercise_every_meter() {
    metrics = new InletMetrics("9.9.9", 3, () -> true);
    StoreMetrics store = new StoreMetrics(metrics.registry());
    store.bind(new FixedProbe());
    store.appended("s", 3, 30, 1_000_000);
    store.appendFailed("s", StoreMetrics.FailureReason.OVERLOADED);
    store.groupCommitted(2, 100, 500_000);
    store.read("s", 1, 30);
    store.trackDiskUsage("s", stream -> 42);
    AppendMetrics appends = new AppendMetrics(metrics.registry());
    appends.requested("s");
    appends.failed("s", AppendMetrics.Reason.INVALID);
    SubscriptionMetrics.SubscriptionMeters sub =
        new SubscriptionMetrics(metrics.registry()).of("sub");
    sub.sent(1, 10);
    sub.resent(1);
    sub.acknowledged(1);
    sub.requestReceived();
    sub.unacked(1);
    sub.consumers(1);
    sub.memory(100);
    streamStore = StreamStore.open(StoreOptions.defaults(dir));
    new DamagedBatches(streamStore.streams(), metrics.registry());
    GrpcMetrics grpc = new GrpcMetrics(metrics.registry());
    grpc.started("Append");
    grpc.handled("Append", Status.Code.OK, 1_000_000);
    grpc.handled("StreamingFetch", Status.Code.CANCELLED, -1);
    IngestMetrics.bind(metrics.registry(), new IngestCounters());
    BridgeMetrics.bind(metrics.registry(), List.of("upstream-a"), List::of);
    ExHookMetrics.bind(metrics.registry(), new ExHookStats());
    ConnectionMetrics.bind(
        metrics.registry(), new ConnectionLimiter("grpc", "grpc-max-connections", 10));
    parse(metrics.scrape());
  }

  @AfterEach
  void close() {
    metrics.close();
    streamStore.close();
  }

  private void parse(String text) {
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ")) {
        String[] parts = line.substring(7).split(" ", 2);
        help.put(parts[0], parts.length > 1 ? parts[1].trim() : "");
      } else if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ");
        types.put(parts[0], parts[1]);
      } else if (!line.isBlank() && !line.startsWith("#")) {
        Matcher m = SAMPLE.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        Set<String> keys = labels.computeIfAbsent(m.group(1), k -> new HashSet<>());
        if (m.group(2) != null) {
          Matcher label = LABEL.matcher(m.group(2));
          while (label.find()) {
            keys.add(label.group(1));
          }
        }
      }
    }
  }

  @Test
  void every_inlet_family_has_a_description() {
    assertThat(help.keySet().stream().filter(n -> n.startsWith("inlet_"))).hasSizeGreaterThan(40);
    help.forEach((name, text) -> assertThat(text).as("description of " + name).isNotBlank());
  }

  @Test
  void names_follow_prometheus_conventions() {
    types.forEach(
        (family, type) -> {
          if (!family.startsWith("inlet_")) {
            return;
          }
          // A histogram's maximum is a gauge named after it.
          String name = family.endsWith("_max") ? family.substring(0, family.length() - 4) : family;
          if (type.equals("counter")) {
            assertThat(name).as(name).endsWith("_total");
          }
          if (name.contains("latency") || name.contains("handling") || name.contains("_sync")) {
            assertThat(name).as(name).endsWith("_seconds");
          }
          if (name.contains("disk") || name.contains("memtables") || name.contains("queue")) {
            assertThat(name).as(name).endsWith("_bytes");
          }
        });
    assertThat(types)
        .containsEntry("inlet_store_append_latency_seconds", "histogram")
        .containsEntry("inlet_store_group_commit_sync_seconds", "histogram")
        .containsEntry("inlet_store_group_commit_batches", "histogram")
        .containsEntry("inlet_store_group_commit_size_bytes", "histogram")
        .containsEntry("inlet_store_group_commit_delay_seconds", "histogram")
        .containsEntry("inlet_store_journal_checkpoint_seconds", "histogram")
        .containsEntry("inlet_store_journal_writeback_seconds", "histogram")
        .containsEntry("inlet_grpc_server_handling_seconds", "histogram")
        .containsEntry("inlet_store_append_records_total", "counter")
        .containsEntry("inlet_listener_connections", "gauge")
        .containsEntry("inlet_listener_connections_refused_total", "counter")
        .containsEntry("inlet_store_stream_disk_bytes", "gauge")
        .containsEntry("inlet_store_rocksdb_stall_seconds_total", "counter")
        .containsEntry("inlet_subscription_unacked_records", "gauge")
        .containsEntry("inlet_subscription_memory_bytes", "gauge")
        .containsEntry("inlet_read_damaged_batches_total", "counter")
        .containsEntry("inlet_ingest_messages_total", "counter")
        .containsEntry("inlet_bridge_connected", "gauge")
        .containsEntry("inlet_bridge_reconnects_total", "counter")
        .containsEntry("inlet_bridge_messages_received_total", "counter")
        .containsEntry("inlet_bridge_messages_total", "counter")
        .containsEntry("inlet_exhook_calls_total", "counter")
        .containsEntry("inlet_exhook_messages_total", "counter")
        .containsEntry("inlet_exhook_answers_total", "counter");
  }

  @Test
  void labels_are_bounded() {
    labels.forEach(
        (name, keys) -> {
          if (name.startsWith("inlet_")) {
            assertThat(BOUNDED_LABELS).as("labels of " + name).containsAll(keys);
          }
        });
    assertThat(labels.get("inlet_grpc_server_handled_total")).contains("method", "status");
    assertThat(labels.get("inlet_store_append_failures_total")).contains("stream", "reason");
    assertThat(labels.get("inlet_bridge_messages_total")).contains("upstream", "outcome");
    assertThat(labels.get("inlet_exhook_messages_total")).contains("hook", "outcome");
  }

  @Test
  void jvm_and_process_meters_are_there() {
    assertThat(types)
        .containsKeys(
            "jvm_memory_used_bytes",
            "jvm_gc_memory_allocated_bytes_total",
            "jvm_threads_live_threads",
            "process_cpu_usage",
            "process_uptime_seconds",
            "inlet_build_info",
            "inlet_ready");
  }

  private static final class FixedProbe implements StorageProbe {
    @Override
    public double rocksProperty(String name) {
      return 1;
    }

    @Override
    public double stallMicros() {
      return 0;
    }

    @Override
    public double blockCacheHits() {
      return 1;
    }

    @Override
    public double blockCacheMisses() {
      return 1;
    }

    @Override
    public double queuedAppendBytes() {
      return 0;
    }

    @Override
    public boolean refusesWrites() {
      return false;
    }

    @Override
    public int streams() {
      return 1;
    }

    @Override
    public int shards() {
      return 1;
    }
  }
}
