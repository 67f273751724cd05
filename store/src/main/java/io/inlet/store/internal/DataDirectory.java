package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.DamagedDataException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Makes sure the data directory can hold a store before RocksDB opens it, and explains in plain
 * words why it cannot: a missing parent that is a file, no permission, or another process holding
 * the lock.
 */
final class DataDirectory {
  private DataDirectory() {}

  /**
   * Creates the directory if missing and checks it is writable.
   *
   * @return the absolute path
   * @throws StoreUnavailableException naming the directory and the cause
   */
  static Path prepare(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw unusable(dir, "it exists but is not a directory", null);
    }
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw unusable(dir, "cannot create it: " + e.getFile() + " is not a directory", e);
    } catch (AccessDeniedException e) {
      throw unusable(dir, "cannot create it: permission denied on " + e.getFile(), e);
    } catch (FileSystemException e) {
      throw unusable(dir, "cannot create it: " + describe(e), e);
    } catch (IOException e) {
      throw unusable(dir, "cannot create it: " + e, e);
    }
    if (!Files.isWritable(dir)) {
      throw unusable(
          dir, "it is not writable by user " + System.getProperty("user.name", "?"), null);
    }
    return dir;
  }

  /**
   * Why RocksDB refused to open the directory: {@link DamagedDataException} when it met damage,
   * else {@link StoreUnavailableException}.
   */
  static RuntimeException openFailed(Path dir, RocksDBException e) {
    String message = String.valueOf(e.getMessage());
    String lower = message.toLowerCase(Locale.ROOT);
    Status status = e.getStatus();
    if (status != null && status.getCode() == Status.Code.Corruption) {
      return damagedOnOpen(dir, e);
    }
    // RocksDB: "While lock file: <dir>/LOCK: Resource temporarily unavailable", or "lock hold by
    // current process" (not "block checksum mismatch").
    if (lower.contains("/lock:") || lower.contains("lock hold by")) {
      return new StoreUnavailableException(
          "data directory "
              + dir
              + " is locked by another Inlet process (LOCK held); stop it or choose another"
              + " --data-dir ("
              + message
              + ")",
          e);
    }
    return unusable(dir, "cannot open the store: " + StoreErrors.describe(e), e);
  }

  /**
   * RocksDB's recovery met damage. In the WAL, only a torn last record passes (see {@link
   * StoreDatabase}); anything else may hold acknowledged records, so nothing is dropped for the
   * user.
   */
  private static DamagedDataException damagedOnOpen(Path dir, RocksDBException e) {
    String rocks = StoreErrors.describe(e);
    List<String> wals = StoreFiles.wals(dir);
    String where =
        rocks.contains(StoreFiles.MANIFEST_PREFIX) || wals.isEmpty()
            ? "reading the store's files met damage"
            : "replaying the write-ahead log ("
                + StoreFiles.describe(dir, wals)
                + ") met damage that is not a write torn by a crash";
    return new DamagedDataException(
        dir,
        "data directory "
            + dir
            + ": "
            + where
            + " (RocksDB: "
            + rocks
            + "); acknowledged records may be in the damaged part, so Inlet does not start and"
            + " changed nothing. Run `"
            + DamagedDataException.repairCommand(dir)
            + "` to keep every intact record and go on (it reports what was lost), or restore the"
            + " directory from a backup",
        e);
  }

  private static StoreUnavailableException unusable(Path dir, String why, Exception cause) {
    return new StoreUnavailableException("data directory " + dir + " is unusable: " + why, cause);
  }

  private static String describe(FileSystemException e) {
    String reason = e.getReason() == null ? "" : e.getReason();
    if (reason.toLowerCase(Locale.ROOT).contains("not a directory")) {
      return "a part of the path is a regular file, not a directory (" + e.getFile() + ")";
    }
    return reason.isEmpty() ? e.toString() : reason + " (" + e.getFile() + ")";
  }
}
