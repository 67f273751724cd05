package io.inlet.store.internal;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.DamagedDataException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Decides how a data directory may be opened, before RocksDB writes anything in it:
 *
 * <ul>
 *   <li>an empty directory: a new store ({@link Kind#NEW}); only then may RocksDB create a
 *       database;
 *   <li>a directory with the {@link StoreMarker}: an Inlet store ({@link Kind#MARKED}), opened only
 *       when a read-only open shows that recovery keeps everything acknowledged ({@link
 *       RecoveryCheck});
 *   <li>a RocksDB database with Inlet's column families and no marker: a store of an earlier
 *       version ({@link Kind#EARLIER_VERSION}), adopted once (the marker is written);
 *   <li>anything else (CURRENT missing, files that are no store, a store that lost its marker): a
 *       clear error naming what was found and what to do; nothing is changed.
 * </ul>
 */
final class StoreOpening {
  enum Kind {
    NEW,
    MARKED,
    EARLIER_VERSION
  }

  /**
   * @param marker the marker read (MARKED), else null
   */
  record Decision(Kind kind, StoreMarker marker) {}

  private StoreOpening() {}

  /**
   * @throws DamagedDataException when the directory holds a store that cannot open without losing
   *     acknowledged data, or lost a file it needs (CURRENT, the marker)
   * @throws StoreUnavailableException when the directory holds something that is not a store
   */
  static Decision decide(Path dir) {
    List<String> names =
        StoreFiles.list(dir).stream().filter(n -> !n.startsWith(StoreMarker.FILE_NAME)).toList();
    Optional<StoreMarker> marker = StoreMarker.read(dir);
    boolean hasCurrent = names.contains(StoreFiles.CURRENT);
    if (marker.isPresent()) {
      if (!hasCurrent) {
        throw missingCurrent(dir, names);
      }
      checkMarked(dir, marker.get());
      return new Decision(Kind.MARKED, marker.get());
    }
    if (names.isEmpty()) {
      return new Decision(Kind.NEW, null);
    }
    if (!hasCurrent) {
      if (StoreFiles.holdsRecords(names) || StoreFiles.newestManifest(names).isPresent()) {
        throw missingCurrent(dir, names);
      }
      throw new StoreUnavailableException(
          "data directory "
              + dir
              + " is not empty and holds no Inlet store (found: "
              + StoreFiles.describe(dir, names)
              + "); Inlet creates a store only in an empty directory: choose an empty or new"
              + " directory with --data-dir, or the directory of an existing store");
    }
    checkEarlierVersion(dir);
    return new Decision(Kind.EARLIER_VERSION, null);
  }

  private static void checkMarked(Path dir, StoreMarker marker) {
    RecoveryCheck.Findings found;
    try (StoreDatabase database = StoreDatabase.open(dir, false, StoreDatabase.Mode.READ_ONLY)) {
      found = RecoveryCheck.inspect(database);
    }
    List<String> problems = RecoveryCheck.problems(found, marker);
    if (!problems.isEmpty()) {
      throw new DamagedDataException(
          dir,
          "data directory "
              + dir
              + ": recovery would lose acknowledged data: "
              + String.join("; ", problems)
              + ". Likely causes: a write-ahead log cut short, or a damaged or missing MANIFEST or"
              + " table file (found: "
              + StoreFiles.describe(dir, StoreFiles.list(dir))
              + "). Inlet does not start and changed nothing. Run `"
              + DamagedDataException.repairCommand(dir)
              + "` to see what is lost and keep what is left, or restore the directory from a"
              + " backup",
          null);
    }
  }

  private static void checkEarlierVersion(Path dir) {
    RecoveryCheck.Findings found;
    try (StoreDatabase database = StoreDatabase.open(dir, false, StoreDatabase.Mode.READ_ONLY)) {
      found = RecoveryCheck.inspect(database);
    } catch (StoreUnavailableException e) {
      throw new StoreUnavailableException(
          "data directory "
              + dir
              + " holds a RocksDB database that is not an Inlet store, or not one Inlet can open ("
              + e.getMessage()
              + "); choose another directory with --data-dir",
          e);
    }
    if (found.storeId() != null) {
      throw new DamagedDataException(
          dir,
          "data directory "
              + dir
              + ": the store marker "
              + StoreMarker.FILE_NAME
              + " is missing, though the store recorded that it has one (store "
              + found.storeId()
              + "); without it Inlet cannot tell which acknowledged LSNs to expect. If the files"
              + " were copied, copy "
              + StoreMarker.FILE_NAME
              + " too; else run `"
              + DamagedDataException.repairCommand(dir)
              + "` to write it again");
    }
    if (!found.hasFormat() && !found.isEmpty()) {
      throw new StoreUnavailableException(
          "data directory "
              + dir
              + " holds a RocksDB database without Inlet's metadata: it is not an Inlet store;"
              + " choose another directory with --data-dir");
    }
  }

  private static DamagedDataException missingCurrent(Path dir, List<String> names) {
    Optional<String> manifest = StoreFiles.newestManifest(names);
    String what =
        manifest.isPresent()
            ? "Run `"
                + DamagedDataException.repairCommand(dir)
                + "`: it writes CURRENT again, naming "
                + manifest.get()
                + " (the newest MANIFEST), then checks that nothing acknowledged is lost; or"
                + " restore the directory from a backup"
            : "No MANIFEST is left either: the store's files are gone. Restore the directory from a"
                + " backup, or, to start a new empty store, empty the directory";
    return new DamagedDataException(
        dir,
        "data directory "
            + dir
            + ": the file CURRENT is missing (it names the MANIFEST, the index of the store's"
            + " files), so RocksDB would create a new, empty database over the existing files."
            + " Inlet does not start and changed nothing. Found: "
            + StoreFiles.describe(dir, names)
            + ". "
            + what);
  }
}
