package io.inlet.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.RecordId;
import io.inlet.cli.InletCli;
import io.inlet.server.testing.AppendLoad;
import io.inlet.server.testing.AppendLoad.Acked;
import io.inlet.server.testing.GrpcClient;
import io.inlet.server.testing.InletProcess;
import io.inlet.store.testing.DataFiles;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage-damage matrix of docs/durability.md, on real nodes (child JVMs): for each kind of
 * damage, what the node does, and that no acknowledged record is lost silently and no record id is
 * handed out twice. The repair is run through the CLI ({@code inlet server repair}). The nodes keep
 * their shards' entries in RocksDB, whose files the matrix damages; damage in segment files is
 * {@code SegmentLogTest}'s and {@code SharedJournalTest}'s.
 */
class StorageDamageIT {
  private static final String STREAM = "damage";
  private static final int SHARDS = 2;

  @TempDir Path dir;
  private int runs;

  private record Written(List<Long> shards, List<Acked> acked) {}

  private InletProcess start(Path data) throws Exception {
    return InletProcess.start(dir.resolve("run" + ++runs), data, "--shard-storage", "rocksdb");
  }

  /** How a run under append load ends. */
  private enum Ending {
    /** SIGKILL while the appenders run. */
    KILLED_UNDER_LOAD,
    /**
     * SIGKILL after the load, once the marker recorded every acknowledged LSN (it does at least
     * once a second): a later loss of acknowledged records is then certain to be noticed.
     */
    KILLED_ONCE_ALL_ACKNOWLEDGED_ARE_RECORDED,
    /** SIGTERM after the load: a clean stop. */
    STOPPED
  }

  private Written run(Path data, Ending ending) throws Exception {
    try (InletProcess node = start(data)) {
      node.awaitReady(Duration.ofSeconds(60));
      try (GrpcClient client = new GrpcClient(node.grpcPort())) {
        client.createStream(STREAM, SHARDS);
        List<Long> shards = client.shardIds(STREAM);
        AppendLoad load = AppendLoad.start(client, STREAM, shards, 8);
        // A cleanly stopped run writes more, so that the tables have several blocks per shard and
        // the first block of a table holds only a shard's older batches (the flipped-table test).
        load.awaitBatches(ending == Ending.STOPPED ? 2_000 : 400, Duration.ofSeconds(120));
        if (ending == Ending.KILLED_UNDER_LOAD) {
          node.kill();
          return new Written(shards, load.stop());
        }
        List<Acked> acked = load.stop();
        if (ending == Ending.STOPPED) {
          node.stop(Duration.ofSeconds(60));
          assertThat(node.output()).as("a clean stop").contains("store closed; Inlet stopped");
          return new Written(shards, acked);
        }
        Map<Long, Long> highest = AppendLoad.highestLsns(acked);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!DataFiles.acknowledged(data).equals(highest)) {
          assertThat(System.nanoTime()).as("marker caught up within 30 s").isLessThan(deadline);
          Thread.sleep(20); // polling a file with a deadline
        }
        node.kill();
        return new Written(shards, acked);
      }
    }
  }

  /** Starts a node that must refuse: exit code 1, the message on the console. */
  private String refusedStart(Path data) throws Exception {
    try (InletProcess node = start(data)) {
      assertThat(node.awaitExit(Duration.ofSeconds(60))).as(node.output()).isEqualTo(1);
      return node.output();
    }
  }

  private record Repair(int exitCode, String report) {}

  private static Repair repair(Path data, String... flags) {
    StringWriter out = new StringWriter();
    List<String> args = new ArrayList<>(List.of("server", "repair", "--data-dir", data.toString()));
    args.addAll(List.of(flags));
    int code =
        InletCli.commandLine(
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true),
                new PrintWriter(out, true))
            .execute(args.toArray(String[]::new));
    return new Repair(code, out.toString());
  }

  /**
   * Starts the node and checks what it holds: every acknowledged record is there with its bytes,
   * except those the repair named as lost; the next append of each shard is above every id.
   */
  private void assertRecovered(Path data, Written written, Set<RecordId> reportedLost)
      throws Exception {
    assertRecovered(data, written, reportedLost, "");
  }

  private void assertRecovered(
      Path data, Written written, Set<RecordId> reportedLost, String report) throws Exception {
    try (InletProcess node = start(data)) {
      node.awaitReady(Duration.ofSeconds(60));
      try (GrpcClient client = new GrpcClient(node.grpcPort())) {
        Set<Acked> stored = new HashSet<>();
        for (long shard : written.shards()) {
          stored.addAll(AppendLoad.readAll(client, shard));
        }
        for (Acked a : written.acked()) {
          if (!reportedLost.contains(a.id())) {
            assertThat(stored)
                .as("acknowledged record %s is stored; repair said:%n%s", a.id(), report)
                .contains(a);
          }
        }
        for (Map.Entry<Long, Long> highest : AppendLoad.highestLsns(written.acked()).entrySet()) {
          long next =
              client.append(STREAM, highest.getKey(), "next", 1).getRecordIds(0).getBatchId();
          assertThat(next)
              .as("shard %s hands out no id twice", highest.getKey())
              .isGreaterThan(highest.getValue());
        }
      }
      node.stop(Duration.ofSeconds(60));
    }
  }

  /** The acknowledged records whose batch the repair reported lost ("LOST: shard ..."). */
  private static Set<RecordId> lostIn(String report, List<Acked> acked) {
    Set<RecordId> lost = lostRanges(report, acked);
    Matcher cut =
        Pattern.compile(
                "LOST: shard (\\d+) of stream \"[^\"]*\" was acknowledged up to LSN (\\d+) but"
                    + " holds batches only up to LSN (\\d+)")
            .matcher(report);
    while (cut.find()) {
      long shard = Long.parseLong(cut.group(1));
      long kept = Long.parseLong(cut.group(3));
      for (Acked a : acked) {
        if (a.id().getShardId() == shard && a.id().getBatchId() > kept) {
          lost.add(a.id());
        }
      }
    }
    return lost;
  }

  private static Set<RecordId> lostRanges(String report, List<Acked> acked) {
    Set<RecordId> lost = new HashSet<>();
    Matcher m =
        Pattern.compile(
                "LOST: shard (\\d+): batches (?:after LSN (\\d+))?(?: and )?(?:before LSN (\\d+))?"
                    + "(?:(\\d+)(?: to (\\d+))? were in damaged WAL records)?")
            .matcher(report);
    while (m.find()) {
      long shard = Long.parseLong(m.group(1));
      long from;
      long to;
      if (m.group(4) != null) {
        from = Long.parseLong(m.group(4));
        to = m.group(5) == null ? from : Long.parseLong(m.group(5));
      } else {
        from = m.group(2) == null ? 1 : Long.parseLong(m.group(2)) + 1;
        to = m.group(3) == null ? Long.MAX_VALUE : Long.parseLong(m.group(3)) - 1;
      }
      for (Acked a : acked) {
        long lsn = a.id().getBatchId();
        if (a.id().getShardId() == shard && lsn >= from && lsn <= to) {
          lost.add(a.id());
        }
      }
    }
    return lost;
  }

  @Test
  void a_missing_CURRENT_refuses_every_start_and_repair_brings_every_record_back()
      throws Exception {
    Path data = dir.resolve("data");
    Written written = run(data, Ending.STOPPED);
    Files.delete(data.resolve("CURRENT"));
    Map<String, Long> files = DataFiles.dataFiles(data);

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThat(refusedStart(data))
          .contains("the file CURRENT is missing")
          .contains("MANIFEST-")
          .contains("inlet server repair --data-dir " + data);
      assertThat(data.resolve("CURRENT")).doesNotExist();
      assertThat(DataFiles.dataFiles(data)).as("no file touched").isEqualTo(files);
    }

    Repair repair = repair(data);
    assertThat(repair.exitCode()).as(repair.report()).isZero();
    assertThat(repair.report()).contains("wrote CURRENT naming MANIFEST-");
    assertRecovered(data, written, Set.of());
  }

  @Test
  void a_torn_wal_tail_after_kill_9_is_dropped_and_every_acknowledged_record_stays()
      throws Exception {
    Path data = dir.resolve("data");
    Written written = run(data, Ending.KILLED_UNDER_LOAD);
    // The write in flight at the crash, torn: part of a record after the last complete one.
    byte[] torn = new byte[150];
    new Random(3).nextBytes(torn);
    Files.write(DataFiles.largestWal(data), torn, java.nio.file.StandardOpenOption.APPEND);

    assertRecovered(data, written, Set.of());
  }

  @Test
  void a_wal_flipped_mid_file_after_kill_9_refuses_to_start_and_repair_names_every_lost_record()
      throws Exception {
    Path data = dir.resolve("data");
    Written written = run(data, Ending.KILLED_UNDER_LOAD);
    Path wal = DataFiles.largestWal(data);
    DataFiles.flip(wal, Files.size(wal) / 2, 32);
    Map<String, Long> files = DataFiles.dataFiles(data);

    assertThat(refusedStart(data))
        .contains(wal.getFileName().toString())
        .contains("acknowledged records may be in the damaged part")
        .contains("inlet server repair --data-dir " + data);
    assertThat(DataFiles.dataFiles(data)).isEqualTo(files);

    Repair accepted = repair(data, "--accept-loss");
    assertThat(accepted.exitCode()).as(accepted.report()).isZero();
    assertRecovered(data, written, lostIn(accepted.report(), written.acked()), accepted.report());
  }

  @Test
  void a_wal_cut_into_acknowledged_records_refuses_to_start_until_the_loss_is_accepted()
      throws Exception {
    Path data = dir.resolve("data");
    Written written = run(data, Ending.KILLED_ONCE_ALL_ACKNOWLEDGED_ARE_RECORDED);
    Path wal = DataFiles.largestWal(data);
    DataFiles.truncate(wal, Files.size(wal) / 2);

    assertThat(refusedStart(data))
        .contains("recovery would lose acknowledged data")
        .contains("was acknowledged up to LSN")
        .contains("inlet server repair --data-dir " + data);

    Repair refused = repair(data);
    assertThat(refused.exitCode()).as(refused.report()).isEqualTo(3);
    assertThat(refused.report()).contains("--accept-loss");
    Repair accepted = repair(data, "--accept-loss");
    assertThat(accepted.exitCode()).as(accepted.report()).isZero();
    assertThat(accepted.report()).contains("LOST: shard");
    assertRecovered(data, written, lostIn(accepted.report(), written.acked()), accepted.report());
  }

  @Test
  void a_flipped_table_is_data_loss_for_its_shard_only_and_repair_keeps_the_rest()
      throws Exception {
    Path data = dir.resolve("data");
    Written written = run(data, Ending.STOPPED);
    Path table = DataFiles.largestTable(data);
    // In the first block: usually the first shard's oldest batches. When the table is small the
    // first block may also hold a shard's last batch; damage there makes the node refuse to start,
    // naming the shard (it cannot tell where the shard ends), as docs/durability.md says. Either
    // way the damage must be reported and repair must keep every other record.
    DataFiles.flip(table, 64, 32);

    try (InletProcess node = start(data)) {
      if (!node.readyOrExited(Duration.ofSeconds(60))) {
        assertThat(node.awaitExit(Duration.ofSeconds(5))).as(node.output()).isEqualTo(1);
        assertThat(node.output())
            .contains("cannot find the last batch of shard")
            .contains(table.getFileName().toString())
            .contains("inlet server repair --data-dir " + data);
      } else {
        readsMeetTheDamageInOneShardOnly(node, written);
      }
    }

    Repair refused = repair(data);
    assertThat(refused.exitCode()).as(refused.report()).isEqualTo(3);
    assertThat(refused.report()).contains(table.getFileName().toString());
    Repair accepted = repair(data, "--accept-loss");
    assertThat(accepted.exitCode()).as(accepted.report()).isZero();
    assertRecovered(data, written, lostIn(accepted.report(), written.acked()), accepted.report());
  }

  /** A node that started over the damage: reads of exactly one shard fail with DATA_LOSS. */
  private static void readsMeetTheDamageInOneShardOnly(InletProcess node, Written written)
      throws Exception {
    try (GrpcClient client = new GrpcClient(node.grpcPort())) {
      int damaged = 0;
      for (long shard : written.shards()) {
        try {
          AppendLoad.readAll(client, shard);
        } catch (StatusRuntimeException e) {
          damaged++;
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DATA_LOSS);
          GrpcClient.assertFails(
              () -> {
                throw e;
              },
              Status.Code.DATA_LOSS,
              ErrorCode.InternalError);
          assertThat(e.getStatus().getDescription())
              .contains("shard " + shard)
              .contains("inlet server repair --data-dir");
        }
      }
      assertThat(damaged).as("shards whose reads meet the damage").isEqualTo(1);
    }
    node.stop(Duration.ofSeconds(60));
  }

  @Test
  void a_damaged_manifest_refuses_to_start_and_no_file_is_deleted() throws Exception {
    Path data = dir.resolve("data");
    run(data, Ending.STOPPED);
    Path manifest = DataFiles.newest(data, "MANIFEST-", "");
    Path copy = dir.resolve("pristine");
    DataFiles.crashCopy(data, copy);

    DataFiles.flip(manifest, Files.size(manifest) / 2, 32);
    Map<String, Long> flipped = DataFiles.dataFiles(data);
    assertThat(refusedStart(data))
        .contains(manifest.getFileName().toString())
        .contains("inlet server repair --data-dir " + data);
    assertThat(DataFiles.dataFiles(data)).as("no file deleted").isEqualTo(flipped);
    Repair repair = repair(data);
    assertThat(repair.exitCode()).as(repair.report()).isIn(1, 3);
    assertThat(repair.report()).contains("backup");
    assertThat(DataFiles.dataFiles(data)).isEqualTo(flipped);

    Path truncated = dir.resolve("truncated");
    DataFiles.crashCopy(copy, truncated);
    Path cut = truncated.resolve(manifest.getFileName());
    DataFiles.truncate(cut, Files.size(cut) / 2);
    Map<String, Long> before = DataFiles.dataFiles(truncated);
    assertThat(refusedStart(truncated))
        .contains(manifest.getFileName().toString())
        .contains("inlet server repair --data-dir " + truncated);
    assertThat(DataFiles.dataFiles(truncated)).as("no file deleted").isEqualTo(before);
  }
}
