package io.inlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.InletProcess;
import io.inlet.server.testing.PowerLossFileSystem;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk whose fsyncs fail for a while (the power-loss file system's {@code fail-syncs}): what was
 * written but not synced is in the files (and, as on Linux after a write-back error, will never be
 * durable unless written again). The node acknowledges nothing while its syncs fail; once they work
 * again it reopens its log, cuts away every entry it had not made durable, and takes appends again.
 * The shard then holds exactly the acknowledged records, once and in order, before a power cut and
 * after it.
 */
class FailedSyncIT {
  private static final String STREAM = "flaky";
  private static final Duration RESUME = Duration.ofSeconds(60);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final List<String> acked = new ArrayList<>();
  private final List<String> refused = new ArrayList<>();
  private int sequence;

  @BeforeEach
  void prerequisites() {
    PowerLossFileSystem.requireAvailable();
  }

  @Test
  void appends_broken_by_a_failed_fsync_are_refused_and_cut_away_and_the_rest_survive_power_loss()
      throws Exception {
    Path store = dir.resolve("fs-store");
    Path mount = dir.resolve("mnt");
    Path data = mount.resolve("data");
    Path fsLog = dir.resolve("fs.log");
    try (PowerLossFileSystem fs = PowerLossFileSystem.mount(store, mount, fsLog)) {
      try (InletProcess node = InletProcess.start(dir.resolve("run1"), data);
          GrpcClient client = new GrpcClient(node.awaitReady(RESUME).grpcPort())) {
        client.createStream(STREAM, 1);
        long shard = client.shardIds(STREAM).get(0);
        for (int i = 0; i < 20; i++) {
          assertThat(tryAppend(client, shard)).as("append before the disk fails").isTrue();
        }

        fs.failSyncs();
        for (int i = 0; i < 10; i++) {
          assertThat(tryAppend(client, shard))
              .as("an append acknowledged while every fsync fails")
              .isFalse();
        }
        assertThat(fs.stats().path("failedFsyncs").asLong()).as("failed fsyncs").isPositive();

        fs.healSyncs();
        Await.until("appends are acknowledged again", RESUME, () -> tryAppend(client, shard));
        for (int i = 0; i < 20; i++) {
          assertThat(tryAppend(client, shard)).as("append after the disk healed").isTrue();
        }
        assertThat(ids(client, shard)).as("the shard, read back").isEqualTo(acked);

        fs.cut();
        node.kill();
      }
      fs.unmount();
    }

    try (PowerLossFileSystem fs = PowerLossFileSystem.mount(store, mount, fsLog);
        InletProcess node = InletProcess.start(dir.resolve("run2"), data);
        GrpcClient client = new GrpcClient(node.awaitReady(RESUME).grpcPort())) {
      long shard = client.shardIds(STREAM).get(0);
      assertThat(ids(client, shard)).as("the shard after a power cut").isEqualTo(acked);
      assertThat(refused).as("appends refused while fsyncs failed").hasSizeGreaterThanOrEqualTo(10);
      node.stop(Duration.ofSeconds(30));
      fs.unmount();
    }
  }

  /** One single-record append; true when acknowledged, false when refused as UNAVAILABLE. */
  private boolean tryAppend(GrpcClient client, long shard) {
    String id = "r-" + sequence++;
    HStreamRecord record = HStreamRecords.raw("k", id.getBytes(StandardCharsets.UTF_8), Map.of());
    try {
      client
          .stub()
          .withDeadlineAfter(20, TimeUnit.SECONDS)
          .append(
              AppendRequest.newBuilder()
                  .setStreamName(STREAM)
                  .setShardId(shard)
                  .setRecords(GrpcClient.batch(List.of(record)))
                  .build());
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode())
          .as("why %s was refused", id)
          .isEqualTo(Status.Code.UNAVAILABLE);
      refused.add(id);
      return false;
    }
    acked.add(id);
    return true;
  }

  private static List<String> ids(GrpcClient client, long shard) {
    return StreamContents.received(client, shard).stream()
        .flatMap(r -> RecordBatches.decode(r.getRecord()).stream())
        .map(r -> r.getPayload().toStringUtf8())
        .toList();
  }
}
