package io.inlet.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.AppendRequest;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.IdRecords;
import io.inlet.server.testing.InletProcess;
import io.inlet.server.testing.PowerLossFileSystem;
import io.inlet.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk whose fsyncs fail for a while (the power-loss file system's {@code fail-syncs}): what was
 * written but not synced is in the files, and, as on Linux after a write-back error, what a failed
 * fsync covered never becomes durable unless written again. The node acknowledges nothing it has
 * not made durable; once fsyncs work again it reopens its log, writes again what only the page
 * cache may hold, cuts away the entries it never made durable, and takes appends again. The shard
 * then holds exactly the acknowledged records, once and in order, before a power cut and after it.
 */
class FailedSyncIT {
  private static final String STREAM = "flaky";
  private static final Duration RESUME = Duration.ofSeconds(60);

  /** Small enough for the shared journal, large enough to reach its write-backs quickly. */
  private static final int JOURNALED_RECORD_BYTES = 8 << 10;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final List<String> acked = new ArrayList<>();
  private final List<String> refused = new ArrayList<>();
  private int sequence;
  private int recordBytes = 16;

  @BeforeEach
  void prerequisites() {
    PowerLossFileSystem.requireAvailable();
  }

  @Test
  void appends_while_every_fsync_fails_are_refused_cut_away_and_the_rest_survive_power_loss()
      throws Exception {
    run(this::failEveryFsync);
  }

  @Test
  void the_same_with_shard_storage_rocksdb() throws Exception {
    run(this::failEveryFsync, "--shard-storage", "rocksdb");
  }

  private void failEveryFsync(PowerLossFileSystem fs, GrpcClient client, long shard)
      throws Exception {
    fs.failSyncs();
    for (int i = 0; i < 10; i++) {
      assertThat(tryAppend(client, shard))
          .as("an append acknowledged while every fsync fails")
          .isFalse();
    }
  }

  /**
   * Only the segments' fsyncs fail, so appends through the shared journal are still acknowledged
   * while the segments' background write-backs and the journal's checkpoint fail: what those
   * dropped is acknowledged, and only the journal holds it on disk until the reopen writes it
   * again.
   */
  @Test
  void entries_acknowledged_through_the_journal_survive_failed_segment_fsyncs_and_power_loss()
      throws Exception {
    recordBytes = JOURNALED_RECORD_BYTES;
    run(
        (fs, client, shard) -> {
          fs.failSyncs("/shard-");
          // The journal's checkpoint (at the latest) syncs the segment, which fails.
          for (int i = 0; i < 20_000 && tryAppend(client, shard); i++) {}
          assertThat(refused).as("appends refused once a segment's fsync failed").isNotEmpty();
        });
  }

  /**
   * A segment's background write-back fails once and the disk heals at once: the journal's next
   * checkpoint must not trust the segment's next fsync, which succeeds without writing what the
   * failed one dropped.
   */
  @Test
  void a_checkpoint_after_a_failed_segment_write_back_does_not_trust_the_next_fsync()
      throws Exception {
    recordBytes = JOURNALED_RECORD_BYTES;
    run(
        (fs, client, shard) -> {
          fs.failSyncs("/shard-");
          for (int i = 0; i < 20_000 && fs.stats().path("failedFsyncs").asLong() == 0; i++) {
            assertThat(tryAppend(client, shard)).as("append before the write-back").isTrue();
          }
          fs.healSyncs();
          // Well past the journal's next checkpoint, which fails.
          for (int i = 0; i < 6_000 && tryAppend(client, shard); i++) {}
          assertThat(refused).as("appends refused at the checkpoint").isNotEmpty();
        });
  }

  @FunctionalInterface
  private interface DiskFailure {
    void strike(PowerLossFileSystem fs, GrpcClient client, long shard) throws Exception;
  }

  private void run(DiskFailure failure, String... serverArgs) throws Exception {
    Path store = dir.resolve("fs-store");
    Path mount = dir.resolve("mnt");
    Path data = mount.resolve("data");
    Path fsLog = dir.resolve("fs.log");
    try (PowerLossFileSystem fs = PowerLossFileSystem.mount(store, mount, fsLog)) {
      try (InletProcess node = InletProcess.start(dir.resolve("run1"), data, serverArgs);
          GrpcClient client = new GrpcClient(node.awaitReady(RESUME).grpcPort())) {
        client.createStream(STREAM, 1);
        long shard = client.shardIds(STREAM).get(0);
        for (int i = 0; i < 20; i++) {
          assertThat(tryAppend(client, shard)).as("append before the disk fails").isTrue();
        }

        failure.strike(fs, client, shard);
        assertThat(fs.stats().path("failedFsyncs").asLong()).as("failed fsyncs").isPositive();

        fs.healSyncs();
        Await.until("appends are acknowledged again", RESUME, () -> tryAppend(client, shard));
        for (int i = 0; i < 20; i++) {
          assertThat(tryAppend(client, shard)).as("append after the disk healed").isTrue();
        }
        assertThat(IdRecords.ids(client, shard)).as("the shard, read back").isEqualTo(acked);

        fs.cut();
        node.kill();
      }
      fs.unmount();
    }

    try (PowerLossFileSystem fs = PowerLossFileSystem.mount(store, mount, fsLog);
        InletProcess node = InletProcess.start(dir.resolve("run2"), data, serverArgs);
        GrpcClient client = new GrpcClient(node.awaitReady(RESUME).grpcPort())) {
      long shard = client.shardIds(STREAM).get(0);
      List<String> after = IdRecords.ids(client, shard);
      System.out.printf(
          "failed fsyncs: %d acknowledged, %d refused, %d read back after the power cut%n",
          acked.size(), refused.size(), after.size());
      assertThat(after).as("the shard after a power cut").isEqualTo(acked);
      node.stop(Duration.ofSeconds(30));
      fs.unmount();
    }
  }

  /** One single-record append; true when acknowledged, false when refused as UNAVAILABLE. */
  private boolean tryAppend(GrpcClient client, long shard) {
    String id = "r-" + sequence++;
    HStreamRecord record = IdRecords.record(id, recordBytes);
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
}
