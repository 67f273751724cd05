package io.inlet.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.config.ConfigException;
import io.inlet.api.config.Option;
import io.inlet.api.record.BatchLimitsConfigKeys;
import io.inlet.store.ShardStorage;
import io.inlet.store.StoreConfigKeys;
import io.inlet.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaults_apply_when_nothing_is_given() {
    ServerConfig config = ServerConfigLoader.load(Map.of(), null);
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.bind()).isEqualTo("127.0.0.1");
    assertThat(config.grpcPort()).isEqualTo(6570);
    assertThat(config.httpPort()).isEqualTo(9464);
    assertThat(config.advertisedAddress()).isEqualTo("127.0.0.1");
    assertThat(config.nodeId()).isEqualTo(1);
    assertThat(config.maxRecordSize()).isEqualTo(1 << 20);
    assertThat(config.retentionCheckInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.logLevel()).isEqualTo("info");
    assertThat(config.unsafeSkipFsync()).isFalse();
    assertThat(config.groupCommit()).isEqualTo(StoreOptions.GroupCommit.DEFAULTS);
    assertThat(config.shardStorage()).as("unset: what the data dir holds").isEmpty();
  }

  @Test
  void shard_storage_is_one_of_two() {
    assertThat(ServerConfigLoader.load(Map.of("shard-storage", "rocksdb"), null).shardStorage())
        .contains(ShardStorage.ROCKSDB);
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("shard-storage", "files"), null))
        .hasMessage("shard-storage must be one of rocksdb, segments, found: files");
  }

  @Test
  void group_commit_limits_are_store_settings() {
    ServerConfig config =
        ServerConfigLoader.load(
            Map.of(
                "store-max-queued-bytes", "64MiB",
                "store-group-max-bytes", "1MiB",
                "store-group-max-ops", "16",
                "store-ack-threads", "2",
                "store-commit-delay-us", "2000"),
            null);
    assertThat(config.groupCommit())
        .isEqualTo(new StoreOptions.GroupCommit(64L << 20, 1 << 20, 16, 2, Duration.ofMillis(2)));
    assertThat(
            ServerConfigLoader.load(Map.of("store-commit-delay-us", "0"), null)
                .groupCommit()
                .commitDelay())
        .isZero();
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("store-ack-threads", "0"), null))
        .hasMessageContaining("store-ack-threads")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("store-group-max-bytes", "1KiB"), null))
        .hasMessageContaining("store-group-max-bytes");
    assertThatThrownBy(
            () -> ServerConfigLoader.load(Map.of("store-commit-delay-us", "100001"), null))
        .hasMessageContaining("store-commit-delay-us");
  }

  @Test
  void open_sealed_segments_applies_to_the_store_and_to_the_replicas() {
    ServerConfig defaults = ServerConfigLoader.load(Map.of("metadata-nodes", "1@h1:1"), null);
    assertThat(defaults.openSealedSegments()).isEqualTo(1024);
    assertThat(defaults.replication().orElseThrow().segmentLogOptions().openSealedSegments())
        .isEqualTo(1024);
    ServerConfig config =
        ServerConfigLoader.load(
            Map.of("metadata-nodes", "1@h1:1", "open-sealed-segments", "64"), null);
    assertThat(config.openSealedSegments()).isEqualTo(64);
    assertThat(config.replication().orElseThrow().segmentLogOptions().openSealedSegments())
        .isEqualTo(64);
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("open-sealed-segments", "-1"), null))
        .hasMessageContaining("open-sealed-segments")
        .hasMessageContaining("-1");
  }

  @Test
  void flag_beats_file_beats_default() throws Exception {
    Path file = dir.resolve("inlet.yaml");
    Files.writeString(
        file,
        "grpc-port: 7000\nhttp-port: 7001\nmax-record-size: 2MiB\nunsafe-skip-fsync: true\n"
            + "retention-check-interval: 500ms\nlog-level: WARN\n");
    ServerConfig config = ServerConfigLoader.load(Map.of("grpc-port", "7100"), file);
    assertThat(config.grpcPort()).isEqualTo(7100);
    assertThat(config.httpPort()).isEqualTo(7001);
    assertThat(config.maxRecordSize()).isEqualTo(2 << 20);
    assertThat(config.unsafeSkipFsync()).isTrue();
    assertThat(config.retentionCheckInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.logLevel()).isEqualTo("warn");
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void errors_name_the_key_and_the_bad_value() {
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("grpc-port", "70000"), null))
        .isInstanceOf(ConfigException.class)
        .hasMessage("grpc-port must be 0..65535, found: 70000");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("http-port", "abc"), null))
        .hasMessage("http-port must be 0..65535, found: abc");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("shutdown-timeout", "10"), null))
        .hasMessageStartingWith("shutdown-timeout must be a duration")
        .hasMessageEndingWith("found: 10");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("max-record-size", "0"), null))
        .hasMessageStartingWith("max-record-size must be a size");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("unsafe-skip-fsync", "maybe"), null))
        .hasMessage("unsafe-skip-fsync must be true or false, found: maybe");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("log-level", "loud"), null))
        .hasMessageStartingWith("log-level must be one of");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("node-id", "0"), null))
        .hasMessageStartingWith("node-id must be 1..");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of("bind", " "), null))
        .hasMessage("bind must not be empty, found: ");
  }

  @Test
  void config_file_errors_are_clear() throws Exception {
    Path unknown = dir.resolve("unknown.yaml");
    Files.writeString(unknown, "grpc-port: 1\ngrpc_port: 2\n");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of(), unknown))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown setting")
        .hasMessageEndingWith("grpc_port");

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "grpc-port: 70000\n");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of(), bad))
        .hasMessage("grpc-port must be 0..65535, found: 70000");

    Path nested = dir.resolve("nested.yaml");
    Files.writeString(nested, "bind:\n  - a\n  - b\n");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of(), nested))
        .hasMessageStartingWith("bind must be a single value");

    Path list = dir.resolve("list.yaml");
    Files.writeString(list, "- a\n");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of(), list))
        .hasMessageContaining("must be a mapping");

    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "grpc-port: [\n");
    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of(), broken))
        .hasMessageContaining("is not valid YAML");

    assertThatThrownBy(() -> ServerConfigLoader.load(Map.of(), dir.resolve("missing.yaml")))
        .hasMessageContaining("does not exist");

    Path empty = dir.resolve("empty.yaml");
    Files.writeString(empty, "");
    assertThat(ServerConfigLoader.load(Map.of(), empty).grpcPort()).isEqualTo(6570);
  }

  @Test
  void advertised_address_defaults_to_bind_or_a_real_interface() {
    assertThat(ServerConfigLoader.load(Map.of("bind", "10.1.2.3"), null).advertisedAddress())
        .isEqualTo("10.1.2.3");
    String wildcard = ServerConfigLoader.load(Map.of("bind", "0.0.0.0"), null).advertisedAddress();
    assertThat(wildcard).isNotEqualTo("0.0.0.0").matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(
            ServerConfigLoader.load(
                    Map.of("bind", "0.0.0.0", "advertised-address", "inlet.example"), null)
                .advertisedAddress())
        .isEqualTo("inlet.example");
  }

  @Test
  void sizes_and_durations_accept_units() {
    assertThat(BatchLimitsConfigKeys.MAX_RECORD_SIZE.parse("1048576")).isEqualTo(1 << 20);
    assertThat(BatchLimitsConfigKeys.MAX_RECORD_SIZE.parse("512KiB")).isEqualTo(512 << 10);
    assertThat(BatchLimitsConfigKeys.MAX_RECORD_SIZE.parse("4m")).isEqualTo(4 << 20);
    assertThat(NodeConfigKeys.SHUTDOWN_TIMEOUT.parse("0s")).isEqualTo(Duration.ZERO);
    assertThat(NodeConfigKeys.SHUTDOWN_TIMEOUT.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(StoreConfigKeys.RETENTION_CHECK_INTERVAL.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThatThrownBy(() -> StoreConfigKeys.RETENTION_CHECK_INTERVAL.parse("1ms"))
        .hasMessageContaining("at least 10ms");
  }

  @Test
  void reference_lists_every_setting_once() {
    String table = ConfigReference.markdown();
    for (Option<?> option : InletOptions.ALL) {
      assertThat(table).containsOnlyOnce("`--" + option.key() + "`");
    }
    assertThat(table).contains("| `--grpc-port` / `grpc-port` | port | `6570` |");
  }
}
