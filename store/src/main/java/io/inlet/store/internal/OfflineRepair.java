package io.inlet.store.internal;

import io.inlet.store.DamagedDataException;
import io.inlet.store.StoreRepair.Outcome;
import io.inlet.store.internal.ShardRegistry.Recovered;
import io.inlet.store.internal.StoreMarker.ShardFloor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WALRecoveryMode;

/**
 * The offline repair of a data directory ({@code inlet server repair}). It finds what keeps the
 * store from opening or reading, tells what each fix loses, and applies the fixes:
 *
 * <ul>
 *   <li>CURRENT missing: written again, naming the newest MANIFEST;
 *   <li>a WAL damaged beyond a torn last write: replayed keeping every intact record (RocksDB's
 *       {@code kSkipAnyCorruptedRecords}), then flushed, so it is not replayed again;
 *   <li>a table file of batches whose checksum does not match: every readable batch is kept, the
 *       file dropped, the unreadable LSN ranges named;
 *   <li>the store marker missing or damaged: written again from the store;
 *   <li>in every case the LSN floors are raised a step above everything stored or acknowledged, so
 *       no record id lost in the damage is handed out again.
 * </ul>
 *
 * When acknowledged batches are gone for good (or metadata is damaged), it changes nothing unless
 * told to accept the loss. Before it changes anything it hard-links every file into a backup
 * directory beside them, so even the files RocksDB would drop stay available.
 *
 * <p>Callers outside the store use {@link io.inlet.store.StoreRepair#run}.
 */
public final class OfflineRepair {
  private final Path dir;
  private final boolean dryRun;
  private final boolean acceptLoss;
  private final Consumer<String> out;
  private boolean changed;

  private OfflineRepair(Path dir, boolean dryRun, boolean acceptLoss, Consumer<String> out) {
    this.dir = dir;
    this.dryRun = dryRun;
    this.acceptLoss = acceptLoss;
    this.out = out;
  }

  /**
   * Repairs the store in {@code dataDir}, which no process may have open.
   *
   * @param dryRun only report what would be done
   * @param acceptLoss go on even when acknowledged batches or metadata are lost
   * @param out receives the report, one line at a time
   */
  public static Outcome run(
      Path dataDir, boolean dryRun, boolean acceptLoss, Consumer<String> out) {
    Path dir = dataDir.toAbsolutePath().normalize();
    return new OfflineRepair(dir, dryRun, acceptLoss, out).run();
  }

  private Outcome run() {
    if (!Files.isDirectory(dir)) {
      out.accept(dir + " is not a directory");
      return Outcome.CANNOT_REPAIR;
    }
    if (inUse()) {
      out.accept(
          "a running process has "
              + dir
              + " open (it holds the LOCK file): stop the node first; nothing was changed");
      return Outcome.CANNOT_REPAIR;
    }
    List<String> names = StoreFiles.list(dir);
    out.accept("data directory " + dir + ": " + StoreFiles.describe(dir, names));
    Optional<StoreMarker> marker = readMarker();
    List<String> fixes = new ArrayList<>();
    List<String> walLosses = new ArrayList<>();

    if (!names.contains(StoreFiles.CURRENT)) {
      Optional<String> manifest = StoreFiles.newestManifest(names);
      if (manifest.isEmpty()) {
        out.accept(
            "CURRENT and every MANIFEST are missing: nothing is left to repair. Restore the"
                + " directory from a backup, or empty it to start a new store.");
        return Outcome.CANNOT_REPAIR;
      }
      fixes.add("write CURRENT naming " + manifest.get() + " (the newest MANIFEST)");
      if (dryRun) {
        out.accept("would " + fixes.get(0) + "; rerun without --dry-run to check the rest");
        return Outcome.REPAIRED;
      }
      backup(names);
      write(dir.resolve(StoreFiles.CURRENT), manifest.get() + "\n");
      out.accept("wrote CURRENT naming " + manifest.get());
    }

    Inspection seen;
    try {
      seen = inspect(WALRecoveryMode.TolerateCorruptedTailRecords);
    } catch (DamagedDataException e) {
      if (e.getMessage().contains(StoreFiles.MANIFEST_PREFIX)) {
        out.accept(e.getMessage());
        out.accept(
            "the MANIFEST (the index of the table files) is damaged; Inlet cannot rebuild it."
                + " Restore the directory from a backup; the table files are intact and were not"
                + " changed (RocksDB's own `ldb repair`, of RocksDB 10, can rebuild a MANIFEST from"
                + " them as a last resort).");
        return Outcome.CANNOT_REPAIR;
      }
      out.accept("the WAL is damaged beyond a torn last write: " + e.getMessage());
      fixes.add("replay the WAL keeping every intact record, and flush it");
      try {
        Inspection prefix = inspect(WALRecoveryMode.PointInTimeRecovery);
        seen = inspect(WALRecoveryMode.SkipAnyCorruptedRecords).withWalDamage();
        walLosses.addAll(skippedRecords(prefix, seen));
      } catch (RuntimeException again) {
        out.accept(
            "cannot read the store even skipping damaged WAL records: " + again.getMessage());
        return Outcome.CANNOT_REPAIR;
      }
    } catch (RuntimeException e) {
      out.accept("cannot open the store read-only: " + e.getMessage());
      return Outcome.CANNOT_REPAIR;
    }
    report(seen, marker);

    RecoveryCheck.Findings findings = seen.findings();
    List<String> losses =
        new ArrayList<>(marker.map(m -> RecoveryCheck.problems(findings, m)).orElse(List.of()));
    for (DamagedTables.Damaged table : seen.damagedTables()) {
      if (table.isData()) {
        fixes.add("keep the readable batches of " + table.name() + " and drop the file");
        losses.add(
            "table " + table.name() + " (" + table.range() + ") is damaged: " + table.error());
      } else {
        losses.add(
            "table "
                + table.name()
                + " of the store's metadata is damaged ("
                + table.error()
                + "); it cannot be repaired here: restore the directory from a backup");
        out.accept(losses.get(losses.size() - 1));
        return Outcome.CANNOT_REPAIR;
      }
    }
    // Records skipped in the WAL are lost whether or not the marker knew them as acknowledged;
    // they were written, so they may have been.
    losses.addAll(walLosses);
    if (marker.isEmpty()) {
      fixes.add("write the store marker " + StoreMarker.FILE_NAME + " again");
    }
    if (fixes.isEmpty() && losses.isEmpty()) {
      out.accept("nothing to repair: the store opens and everything acknowledged is there");
      return Outcome.HEALTHY;
    }
    losses.forEach(loss -> out.accept("LOST: " + loss));
    fixes.add("raise every shard's LSN floor, so lost record ids are never handed out again");
    if (!losses.isEmpty() && !acceptLoss) {
      out.accept(
          "repairing keeps what is left and loses the above for good; nothing was changed"
              + (changed ? " but CURRENT" : "")
              + ". Restore the directory from a backup, or rerun with --accept-loss to go on"
              + " with what is left.");
      return Outcome.LOSS_NOT_ACCEPTED;
    }
    if (dryRun) {
      fixes.forEach(fix -> out.accept("would " + fix));
      return Outcome.REPAIRED;
    }
    if (!changed) {
      backup(StoreFiles.list(dir));
    }
    apply(seen, marker);
    fixes.forEach(fix -> out.accept("done: " + fix));
    out.accept("repaired; the node starts again on " + dir);
    return Outcome.REPAIRED;
  }

  private record Inspection(
      RecoveryCheck.Findings findings,
      List<DamagedTables.Damaged> damagedTables,
      boolean walDamaged,
      Map<Long, List<Long>> present) {
    Inspection withWalDamage() {
      return new Inspection(findings, damagedTables, true, present);
    }
  }

  private Inspection inspect(WALRecoveryMode walMode) {
    try (StoreDatabase database = StoreDatabase.open(dir, StoreDatabase.Mode.READ_ONLY, walMode)) {
      RecoveryCheck.Findings findings = RecoveryCheck.inspect(database);
      return new Inspection(
          findings, DamagedTables.find(database), false, presentLsns(database, findings));
    }
  }

  /** The LSNs each shard holds, in order. */
  private static Map<Long, List<Long>> presentLsns(
      StoreDatabase database, RecoveryCheck.Findings findings) {
    Map<Long, List<Long>> present = new TreeMap<>();
    try (RocksIterator it = database.db().newIterator(database.data())) {
      for (Recovered shard : findings.shards()) {
        List<Long> lsns = new ArrayList<>();
        for (it.seek(DataKeys.key(shard.shardId(), shard.firstLsn()));
            it.isValid() && DataKeys.shardId(it.key()) == shard.shardId();
            it.next()) {
          lsns.add(DataKeys.lsn(it.key()));
        }
        present.put(shard.shardId(), lsns);
      }
    }
    return present;
  }

  /**
   * The batches lost in the WAL records a salvage skipped: gaps in what it kept above the end of a
   * replay that stopped at the first damage (gaps below that were there before: LSNs skipped after
   * an earlier crash).
   */
  private static List<String> skippedRecords(Inspection prefix, Inspection salvaged) {
    Map<Long, Long> prefixEnd = new TreeMap<>();
    prefix.findings().shards().forEach(r -> prefixEnd.put(r.shardId(), r.lastLsn()));
    List<String> lost = new ArrayList<>();
    salvaged
        .present()
        .forEach(
            (shardId, lsns) -> {
              long previous = prefixEnd.getOrDefault(shardId, 0L);
              for (long lsn : lsns) {
                if (lsn <= previous) {
                  continue;
                }
                if (lsn > previous + 1) {
                  lost.add(
                      "shard "
                          + shardId
                          + ": batches "
                          + (previous + 1)
                          + (lsn - 1 > previous + 1 ? " to " + (lsn - 1) : "")
                          + " were in damaged WAL records");
                }
                previous = lsn;
              }
              long end = prefixEnd.getOrDefault(shardId, 0L);
              if (previous == end) {
                // Nothing of this shard survived after the damage: whatever it had there, if
                // anything, is lost, and how much cannot be counted.
                lost.add(
                    "shard "
                        + shardId
                        + ": batches after LSN "
                        + end
                        + ", if any were written after the damaged WAL records");
              }
            });
    return lost;
  }

  /** Whether another process holds RocksDB's LOCK (an fcntl lock, as Java's file locks are). */
  private boolean inUse() {
    Path lock = dir.resolve("LOCK");
    if (!Files.exists(lock)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock held = channel.tryLock();
      if (held == null) {
        return true;
      }
      held.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Optional<StoreMarker> readMarker() {
    try {
      return StoreMarker.read(dir);
    } catch (DamagedDataException e) {
      out.accept(e.getMessage());
      return Optional.empty();
    }
  }

  private void report(Inspection seen, Optional<StoreMarker> marker) {
    Map<Long, ShardFloor> floors = marker.map(StoreMarker::shards).orElse(Map.of());
    for (Recovered shard : seen.findings().shards()) {
      ShardFloor floor = floors.get(shard.shardId());
      out.accept(
          "shard "
              + shard.shardId()
              + " of stream \""
              + shard.streamName()
              + "\": holds LSNs "
              + shard.firstLsn()
              + " to "
              + shard.lastLsn()
              + (floor == null ? "" : "; acknowledged up to " + floor.acknowledged()));
    }
  }

  /** Opens for writing with the recovery mode the inspection needed, fixes, records the floors. */
  private void apply(Inspection seen, Optional<StoreMarker> marker) {
    WALRecoveryMode walMode =
        seen.walDamaged()
            ? WALRecoveryMode.SkipAnyCorruptedRecords
            : WALRecoveryMode.TolerateCorruptedTailRecords;
    try (StoreDatabase database = StoreDatabase.open(dir, StoreDatabase.Mode.OPEN, walMode)) {
      if (seen.damagedTables().stream().anyMatch(DamagedTables.Damaged::isData)) {
        database.flush();
        Path work = dir.resolve("repair-rescued-data.sst");
        Files.deleteIfExists(work);
        for (DamagedTables.Lost lost : DamagedTables.rebuildData(database, work)) {
          out.accept("LOST: " + lost);
        }
        retrim(database);
      }
      database.flush();
      MetaStore meta = new MetaStore(database);
      RecoveryCheck.Findings now = RecoveryCheck.inspect(database);
      String storeId =
          marker
              .map(StoreMarker::storeId)
              .orElse(now.storeId() == null ? UUID.randomUUID().toString() : now.storeId());
      if (now.storeId() == null || !now.storeId().equals(storeId)) {
        meta.put(
            RecoveryCheck.STORE_ID_KEY,
            storeId.getBytes(StandardCharsets.UTF_8),
            "record the store id");
      }
      writeMarker(storeId, now, marker);
    } catch (RocksDBException e) {
      throw new UncheckedIOException(
          new IOException("repair failed: " + StoreErrors.describe(e), e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes again what trims had deleted: rebuilding may have read batches below a trim point. */
  private static void retrim(StoreDatabase database) throws RocksDBException {
    MetaStore meta = new MetaStore(database);
    for (Recovered shard : RecoveryCheck.inspect(database).shards()) {
      if (shard.firstLsn() > 1) {
        try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch()) {
          batch.deleteRange(
              database.data(),
              DataKeys.key(shard.shardId(), 0),
              DataKeys.key(shard.shardId(), shard.firstLsn()));
          meta.write(batch, "trim shard " + shard.shardId() + " again");
        }
      }
    }
  }

  private void writeMarker(String storeId, RecoveryCheck.Findings now, Optional<StoreMarker> old) {
    Map<Long, ShardFloor> before = old.map(StoreMarker::shards).orElse(Map.of());
    Map<Long, ShardFloor> floors = new TreeMap<>();
    // With the old marker, its floors already cover every LSN handed out; without it, nothing
    // says how far LSNs went beyond what is stored, so a whole step is skipped.
    long margin = old.isPresent() ? 0 : LsnFloors.STEP;
    before.forEach(
        (id, f) -> floors.put(id, new ShardFloor(Math.max(f.floor(), f.acknowledged()), 0)));
    for (Recovered shard : now.shards()) {
      ShardFloor f = before.getOrDefault(shard.shardId(), new ShardFloor(0, 0));
      long highest = Math.max(shard.lastLsn(), Math.max(f.floor(), f.acknowledged()));
      floors.put(shard.shardId(), new ShardFloor(highest + margin, shard.lastLsn()));
    }
    try {
      new StoreMarker(storeId, RocksStreamStore.FORMAT_VERSION, floors).write(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(StoreMarker.FILE_NAME), e);
    }
  }

  /**
   * Hard-links every file into a new directory beside them: no copy, nothing RocksDB drops is gone.
   */
  private void backup(List<String> names) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path backup = dir.resolve("repair-backup-" + stamp);
    try {
      Files.createDirectories(backup);
      for (String name : names) {
        Path file = dir.resolve(name);
        if (Files.isRegularFile(file)) {
          Files.createLink(backup.resolve(name), file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot back up the files into " + backup, e);
    }
    changed = true;
    out.accept(
        "backed up every file into "
            + backup
            + " (hard links, no extra space); delete it once the store is as you want it");
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      try (var channel =
          java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      StoreMarker.syncDirectory(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
