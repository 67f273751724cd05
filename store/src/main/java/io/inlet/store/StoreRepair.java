package io.inlet.store;

import io.inlet.store.internal.OfflineRepair;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The offline repair of a stopped node's data directory ({@code inlet server repair}): finds what
 * keeps the store from opening or reading, says what each fix loses, backs up every file (hard
 * links) and applies the fixes. See docs/durability.md for what it does with each kind of damage.
 */
public final class StoreRepair {
  private StoreRepair() {}

  /** How a repair ended. */
  public enum Outcome {
    /** Nothing to repair. */
    HEALTHY,
    /** Repaired (or, for a dry run, repairable); the store opens. */
    REPAIRED,
    /** Repairing loses acknowledged data; rerun accepting the loss. Nothing was changed. */
    LOSS_NOT_ACCEPTED,
    /** Cannot be repaired here; the report says why. Nothing was changed. */
    CANNOT_REPAIR
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
    return OfflineRepair.run(dataDir, dryRun, acceptLoss, out);
  }
}
