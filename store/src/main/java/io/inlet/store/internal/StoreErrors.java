package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.naming.ObjectNames;
import io.inlet.store.DamagedDataException;
import io.inlet.store.StoreException;
import io.inlet.store.segment.FileFailures;
import java.nio.file.Path;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;

/** Turns RocksDB failures into exceptions whose message a user can act on. */
final class StoreErrors {
  private StoreErrors() {}

  static StoreUnavailableException writeFailed(Path dataDir, String what, RocksDBException e) {
    return new StoreUnavailableException(
        "cannot " + what + " in " + dataDir + ": " + describe(e) + "; nothing was written", e);
  }

  /**
   * A failed read: {@link DamagedDataException} when RocksDB found damage (a checksum mismatch, a
   * file cut short), else {@link StoreUnavailableException}.
   */
  static RuntimeException readFailed(Path dataDir, String what, RocksDBException e) {
    return readFailed(dataDir, DamagedDataException.NO_SHARD, DamagedDataException.NO_LSN, what, e);
  }

  /** A failed read of a shard at (or after) {@code lsn}. */
  static RuntimeException readFailed(
      Path dataDir, long shardId, long lsn, String what, RocksDBException e) {
    if (isDamage(e)) {
      return new DamagedDataException(
          dataDir,
          shardId,
          lsn,
          "cannot "
              + what
              + " in "
              + dataDir
              + ": the stored data is damaged ("
              + describe(e)
              + "); retrying does not help: stop the node and run `"
              + DamagedDataException.repairCommand(dataDir)
              + "`, or restore the directory from a backup",
          e);
    }
    return new StoreUnavailableException(
        "cannot " + what + " in " + dataDir + ": " + describe(e), e);
  }

  /**
   * Checks an iterator after a seek; see {@link #readFailed(Path, long, long, String,
   * RocksDBException)}.
   */
  static void checkIterator(Path dataDir, RocksIterator it, long shardId, String what) {
    try {
      it.status();
    } catch (RocksDBException e) {
      throw readFailed(
          dataDir, shardId, DamagedDataException.NO_LSN, what + " shard " + shardId, e);
    }
  }

  static boolean isDamage(RocksDBException e) {
    Status status = e.getStatus();
    return status != null && status.getCode() == Status.Code.Corruption;
  }

  /**
   * The name when it follows {@link ObjectNames}' rules.
   *
   * @param what the kind of name for the message, e.g. "stream name"
   * @throws StoreException with {@code reason} naming the rule it breaks
   */
  static String requireValidName(String what, String name, StoreException.Reason reason) {
    String invalid = ObjectNames.invalidMessage(what, name);
    if (invalid != null) {
      throw new StoreException(reason, invalid);
    }
    return name;
  }

  static StoreUnavailableException closing() {
    return new StoreUnavailableException("store is closing");
  }

  static StoreUnavailableException closed() {
    return new StoreUnavailableException("store is closed");
  }

  /** The cause in plain words, with RocksDB's own text kept for the curious. */
  static String describe(RocksDBException e) {
    Status status = e.getStatus();
    String text = status != null && status.getState() != null ? status.getState() : e.getMessage();
    if (status != null && status.getSubCode() == Status.SubCode.NoSpace) {
      return "the disk is full (" + text + ")";
    }
    String known = FileFailures.inPlainWords(text);
    if (known != null) {
      return known;
    }
    if (status != null && status.getCode() == Status.Code.IOError) {
      return "I/O error (" + text + ")";
    }
    return text == null ? e.toString() : text;
  }
}
