package io.inlet.store.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileWriter;

/**
 * Finds table files (*.sst) whose checksums do not match, and rescues what is still readable of the
 * {@code data} column family: the batches around the damaged blocks are kept, the damaged files
 * dropped, and what was lost is named by shard and LSN range. (RocksDB cannot drop a single file of
 * level 0, nor compact one it cannot read, so the column family is rebuilt.)
 */
final class DamagedTables {
  private DamagedTables() {}

  /** A table file whose checksum does not match. */
  record Damaged(LiveFileMetaData file, String columnFamily, String error) {
    String name() {
      return file.fileName().replace("/", "");
    }

    boolean isData() {
      return columnFamily.equals(StoreDatabase.DATA);
    }

    /** The key range as shard and LSN for data tables. */
    String range() {
      if (!isData()) {
        return "metadata keys";
      }
      byte[] from = file.smallestKey();
      byte[] to = file.largestKey();
      if (from.length != DataKeys.LENGTH || to.length != DataKeys.LENGTH) {
        return "data keys";
      }
      return "shard "
          + DataKeys.shardId(from)
          + " LSN "
          + DataKeys.lsn(from)
          + " to shard "
          + DataKeys.shardId(to)
          + " LSN "
          + DataKeys.lsn(to);
    }
  }

  /**
   * Data keys that could not be read: those after {@code after} and before {@code before} (both
   * readable, or null for the start and the end of the column family).
   */
  record Lost(byte[] after, byte[] before) {
    @Override
    public String toString() {
      if (after != null && before != null && DataKeys.shardId(after) == DataKeys.shardId(before)) {
        return "shard "
            + DataKeys.shardId(after)
            + ": batches after LSN "
            + DataKeys.lsn(after)
            + " and before LSN "
            + DataKeys.lsn(before);
      }
      if (after == null && before == null) {
        return "every batch";
      }
      if (after == null) {
        return "shard "
            + DataKeys.shardId(before)
            + ": batches before LSN "
            + DataKeys.lsn(before)
            + (DataKeys.lsn(before) > 1 ? "" : " (and any shard before it)");
      }
      if (before == null) {
        return "shard "
            + DataKeys.shardId(after)
            + ": batches after LSN "
            + DataKeys.lsn(after)
            + " (and every shard after it)";
      }
      return "batches after shard "
          + DataKeys.shardId(after)
          + " LSN "
          + DataKeys.lsn(after)
          + " and before shard "
          + DataKeys.shardId(before)
          + " LSN "
          + DataKeys.lsn(before);
    }
  }

  /** Verifies the checksum of every block of every live table file. */
  static List<Damaged> find(StoreDatabase database) {
    List<Damaged> damaged = new ArrayList<>();
    for (LiveFileMetaData file : database.db().getLiveFilesMetaData()) {
      String cf = new String(file.columnFamilyName(), StandardCharsets.UTF_8);
      try (Options options = new Options();
          SstFileReader reader = new SstFileReader(options)) {
        reader.open(path(file));
        reader.verifyChecksum();
      } catch (RocksDBException e) {
        damaged.add(new Damaged(file, cf, StoreErrors.describe(e)));
      }
    }
    return damaged;
  }

  /**
   * Rebuilds the {@code data} column family from every batch still readable in it: they are
   * written, in key order, to a new table file; the column family (with the damaged files) is
   * dropped and created again, and the new file ingested. Costs one write of the stored data.
   *
   * @return the key ranges that could not be read
   */
  static List<Lost> rebuildData(StoreDatabase database, Path workFile) throws RocksDBException {
    List<Lost> lost = new ArrayList<>();
    long written = 0;
    try (EnvOptions env = new EnvOptions();
        Options options = new Options();
        SstFileWriter writer = new SstFileWriter(env, options)) {
      writer.open(workFile.toString());
      byte[] from = null;
      byte[] lastGood = null;
      while (true) {
        // A fresh iterator per readable stretch: one that met damage may not seek past it.
        try (RocksIterator it = database.db().newIterator(database.data())) {
          if (from == null) {
            it.seekToFirst();
          } else {
            it.seek(from);
          }
          for (; it.isValid(); it.next()) {
            byte[] key = it.key();
            writer.put(key, it.value());
            written++;
            lastGood = key;
          }
          if (ok(it)) {
            break;
          }
        }
        byte[] resume = firstReadableAfter(database, lastGood);
        lost.add(new Lost(lastGood, resume));
        if (resume == null) {
          break;
        }
        from = resume;
      }
      if (written > 0) {
        writer.finish();
      }
    }
    database.recreateData();
    if (written > 0) {
      try (IngestExternalFileOptions ingest = new IngestExternalFileOptions().setMoveFiles(true)) {
        database.db().ingestExternalFile(database.data(), List.of(workFile.toString()), ingest);
      }
    }
    return lost;
  }

  /**
   * Binary search over the 128-bit key space after {@code lastGood} for the first key a seek
   * reaches and reads without error: seeks into a damaged block fail, seeks past it land on the
   * next readable key.
   *
   * @return that key, or null when nothing after the damage can be read
   */
  private static byte[] firstReadableAfter(StoreDatabase database, byte[] lastGood) {
    BigInteger low =
        lastGood == null ? BigInteger.ZERO : new BigInteger(1, lastGood).add(BigInteger.ONE);
    BigInteger high = BigInteger.ONE.shiftLeft(8 * DataKeys.LENGTH).subtract(BigInteger.ONE);
    byte[] found = null;
    while (low.compareTo(high) <= 0) {
      BigInteger mid = low.add(high).shiftRight(1);
      try (RocksIterator it = database.db().newIterator(database.data())) {
        it.seek(key(mid));
        if (it.isValid()) {
          it.value();
        }
        if (!ok(it)) {
          low = mid.add(BigInteger.ONE);
        } else {
          if (it.isValid()) {
            found = it.key();
          }
          high = mid.subtract(BigInteger.ONE);
        }
      }
    }
    return found;
  }

  private static byte[] key(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] key = new byte[DataKeys.LENGTH];
    int copy = Math.min(raw.length, DataKeys.LENGTH);
    System.arraycopy(raw, raw.length - copy, key, DataKeys.LENGTH - copy, copy);
    return key;
  }

  private static boolean ok(RocksIterator it) {
    try {
      it.status();
      return true;
    } catch (RocksDBException e) {
      return false;
    }
  }

  private static String path(LiveFileMetaData file) {
    return file.path() + file.fileName();
  }
}
