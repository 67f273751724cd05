package io.inlet.store;

import java.nio.file.Path;

/**
 * Stored data is damaged: a checksum does not match, a file the store needs is missing or cut
 * short, or a stored value does not parse. Unlike {@link
 * io.inlet.api.error.StoreUnavailableException}, retrying does not help: an operator must look at
 * the data directory (the message says what was found and which command repairs it). Nothing is
 * ever dropped silently in its place.
 *
 * <p>A read fails with it when it meets damage in the shard it reads ({@link #shardId()}); opening
 * a store fails with it when recovery would lose acknowledged data.
 */
public class DamagedDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Returned by {@link #shardId()} when the damage is not within one shard. */
  public static final long NO_SHARD = -1;

  /** Returned by {@link #lsn()} when the damage is not at one known LSN. */
  public static final long NO_LSN = -1;

  private final transient Path dataDir;
  private final long shardId;
  private final long lsn;

  public DamagedDataException(
      Path dataDir, long shardId, long lsn, String message, Throwable cause) {
    super(message, cause);
    this.dataDir = dataDir;
    this.shardId = shardId;
    this.lsn = lsn;
  }

  public DamagedDataException(Path dataDir, String message, Throwable cause) {
    this(dataDir, NO_SHARD, NO_LSN, message, cause);
  }

  public DamagedDataException(Path dataDir, String message) {
    this(dataDir, NO_SHARD, NO_LSN, message, null);
  }

  /** The data directory holding the damage. */
  public Path dataDir() {
    return dataDir;
  }

  /** The shard whose data is damaged, or {@link #NO_SHARD}. */
  public long shardId() {
    return shardId;
  }

  /**
   * The first LSN of {@link #shardId()} that could not be read, or {@link #NO_LSN}. A reader may
   * continue after it: the batches before it were readable, and so may be the ones after.
   */
  public long lsn() {
    return lsn;
  }

  /** The offline command that repairs {@code dataDir}, as users type it. */
  public static String repairCommand(Path dataDir) {
    return "inlet server repair --data-dir " + dataDir;
  }
}
