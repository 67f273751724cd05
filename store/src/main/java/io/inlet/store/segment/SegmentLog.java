package io.inlet.store.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A log of opaque entries per shard in append-only segment files: the storage of every replica of a
 * replicated shard (cluster) and, with {@code shard-storage: segments}, of a node's local shards.
 * One directory per shard under the log's directory; format, recovery rule and figures in
 * docs/architecture.md ("Next: the segment log") and docs/benchmarks.md.
 *
 * <p>Appends to one shard get consecutive LSNs from 1 in the order the writer takes them;
 * concurrent appends (to any shards) share one write per shard and, for a small group, one write
 * and one fsync of the shared journal ({@link SharedJournal}), for a larger one one fsync per
 * written segment, and complete only after it. Readers see durable entries only. {@link #close()}
 * commits what was queued, fails later appends, and marks a clean shutdown; it is idempotent.
 */
public final class SegmentLog implements AutoCloseable {
  private static final String CLEAN_MARKER = "clean-shutdown";
  private static final String LOCK_FILE = "lock";

  private final Path root;
  private final SegmentLogOptions options;
  private final FileChannel lockChannel;
  private final WriterMeters meters;
  // Replaced together by reopen(), while the caller keeps reads and appends away.
  private volatile ConcurrentMap<Long, ShardSegments> shards;
  private volatile SharedJournal journal; // null without one
  private volatile SealedFiles sealedFiles;
  private volatile SegmentWriter writer;
  // Why the log is failed while a reopen could not recover it; null otherwise.
  private volatile SegmentLogException reopenFailure;
  // While a reopen is due: each active segment, from where its bytes may be in the page cache only.
  private Map<Path, Long> rewriteFrom = Map.of(); // guarded by this
  private volatile boolean closed;

  private SegmentLog(
      Path root,
      SegmentLogOptions options,
      Recovered recovered,
      FileChannel lockChannel,
      WriterMeters meters) {
    this.root = root;
    this.options = options;
    this.lockChannel = lockChannel;
    this.meters = meters;
    this.shards = recovered.shards();
    this.journal = recovered.journal();
    this.sealedFiles = recovered.sealedFiles();
    this.writer = recovered.writer(root, options, meters);
  }

  /**
   * A log's files as recovery left them: its shards, its journal (null without one), and the budget
   * of its sealed segments' open files.
   */
  private record Recovered(
      ConcurrentMap<Long, ShardSegments> shards, SharedJournal journal, SealedFiles sealedFiles) {
    SegmentWriter writer(Path root, SegmentLogOptions options, WriterMeters meters) {
      return new SegmentWriter(root, options, shards, journal, sealedFiles, meters);
    }
  }

  /**
   * Opens (or creates) the log in {@code dir} and recovers every shard (see {@link ShardRecovery}
   * for the rule).
   *
   * @throws SegmentDamagedException when a shard's files hold damage recovery must not cut off;
   *     nothing was changed
   * @throws SegmentLogException when the directory cannot be used or another process has it open
   */
  public static SegmentLog open(Path dir, SegmentLogOptions requested) {
    return open(dir, requested, WriterMeters.NONE);
  }

  /** The same, its writer reporting its group commits to {@code meters}. */
  public static SegmentLog open(Path dir, SegmentLogOptions requested, WriterMeters meters) {
    FileChannel lock = null;
    try {
      Files.createDirectories(dir);
      lock = lock(dir);
      SegmentLogOptions options =
          requested.directWrites() && !DirectAppender.supported(dir)
              ? requested.withDirectWrites(false)
              : requested;
      return new SegmentLog(dir, options, recover(dir, options, Map.of()), lock, meters);
    } catch (IOException | RuntimeException e) {
      if (lock != null) {
        try {
          lock.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw openFailure(dir, e);
    }
  }

  private static SegmentLogException openFailure(Path dir, Exception e) {
    return e instanceof SegmentLogException sle
        ? sle
        : new SegmentLogException("cannot open the segment log in " + dir + ": " + e, e);
  }

  /**
   * Recovers every shard of the log in {@code dir} (see {@link ShardRecovery} for the rule), then
   * replays the journal into them; after a crash, syncs what recovery found first, writing the
   * active segments again from {@code rewriteFrom} on.
   */
  private static Recovered recover(Path dir, SegmentLogOptions options, Map<Path, Long> rewriteFrom)
      throws IOException {
    SharedJournal journal = null;
    ConcurrentMap<Long, ShardSegments> shards = new ConcurrentHashMap<>();
    SealedFiles sealedFiles = new SealedFiles(options.openSealedSegments());
    try {
      Path marker = dir.resolve(CLEAN_MARKER);
      boolean clean = Files.exists(marker);
      try (Stream<Path> list = Files.list(dir)) {
        for (Path shardDir : list.filter(Files::isDirectory).toList()) {
          String name = shardDir.getFileName().toString();
          if (!name.startsWith("shard-")) {
            continue;
          }
          long shardId = Long.parseUnsignedLong(name.substring("shard-".length()));
          List<SegmentFile> segments =
              new ShardRecovery(shardDir, options, clean, sealedFiles).recover();
          ShardSegments shard =
              new ShardSegments(shardId, shardDir, options, sealedFiles, segments);
          shards.put(shardId, shard);
          shard.startAppending();
        }
      }
      if (!clean) {
        syncAfterCrash(shards, rewriteFrom);
      }
      journal = openJournal(dir, options, shards);
      if (Files.deleteIfExists(marker)) {
        Directories.sync(dir);
      }
      return new Recovered(shards, journal, sealedFiles);
    } catch (IOException | RuntimeException e) {
      closeQuietly(shards);
      if (journal != null) {
        try {
          journal.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /**
   * Why the log takes no appends: a write, sync or truncation failed (a full disk, an I/O error)
   * and no {@link #reopen()} has recovered it since; null while it takes appends.
   */
  public SegmentLogException failure() {
    SegmentLogException failed = reopenFailure;
    return failed != null ? failed : writer.failure();
  }

  /**
   * After a failure ({@link #failure()}): stops the writer (failing what it holds), recovers the
   * log from its files as an open after a crash would, and cuts every shard back to the entries it
   * had made durable, so that nothing of the failed appends stays and their LSNs are given again.
   * The caller keeps every read and append away meanwhile; appends that come anyway fail. Does
   * nothing when the log has not failed.
   *
   * @throws SegmentLogException when the files cannot be recovered now; the log stays failed and
   *     may be reopened again later
   */
  public synchronized void reopen() {
    if (closed || failure() == null) {
      return;
    }
    // The first failure, which the stopped writer keeps: a failed reopen names it without
    // nesting the failures of earlier attempts.
    SegmentLogException cause = writer.failure() != null ? writer.failure() : failure();
    Map<Long, Long> durable = new HashMap<>();
    shards.forEach((shardId, shard) -> durable.put(shardId, shard.durableLsn()));
    if (reopenFailure == null) {
      // What each active segment has on disk for sure: if the failure was an fsync's, what lies
      // beyond may never be written unless written again (SegmentFile#syncRecovered).
      rewriteFrom =
          shards.values().stream()
              .map(ShardSegments::syncedPart)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      // Stop writing, and close the files as they are: closing cuts a direct write's padding back
      // to what was written, which must happen before recovery reads them.
      writer.close();
      closeQuietly(shards);
      closeQuietly(journal);
      reopenFailure = cause;
    }
    Recovered recovered;
    try {
      recovered = recover(root, options, rewriteFrom);
    } catch (IOException | RuntimeException e) {
      throw stillFailed(e, cause);
    }
    SegmentWriter fresh = recovered.writer(root, options, meters);
    try {
      for (long shardId : recovered.shards().keySet()) {
        Long kept = durable.get(shardId);
        if (kept == null) {
          fresh.deleteShard(shardId).join(); // created by a write that failed
        } else if (recovered.shards().get(shardId).durableLsn() > kept) {
          fresh.truncateAfter(shardId, kept).join();
        }
      }
    } catch (RuntimeException e) {
      fresh.close();
      closeQuietly(recovered.shards());
      closeQuietly(recovered.journal());
      throw stillFailed(e, cause);
    }
    shards = recovered.shards();
    journal = recovered.journal();
    sealedFiles = recovered.sealedFiles();
    writer = fresh;
    reopenFailure = null;
    rewriteFrom = Map.of();
  }

  private SegmentLogException stillFailed(Exception e, SegmentLogException cause) {
    SegmentLogException failed =
        new SegmentLogException(
            "cannot recover the segment log in " + root + " after a failed write: " + e, e);
    failed.addSuppressed(cause);
    reopenFailure = failed;
    return failed;
  }

  private static void closeQuietly(SharedJournal journal) {
    if (journal != null) {
      try {
        journal.close();
      } catch (IOException ignored) {
        // recovery opens it again
      }
    }
  }

  /**
   * After a crash, syncs what each shard's files hold: recovery read it, but it may have been only
   * in the page cache, and the entries written from now on name it as durable. After a failed
   * fsync, the active segments are written again from {@code rewriteFrom} on first.
   */
  private static void syncAfterCrash(Map<Long, ShardSegments> shards, Map<Path, Long> rewriteFrom)
      throws IOException {
    for (ShardSegments shard : shards.values()) {
      shard.syncRecovered(rewriteFrom);
    }
  }

  /**
   * Replays the shared journal into the shards and returns it ready for writes; null when the log
   * runs without one (a journal left by an earlier run with one is replayed, then deleted).
   */
  private static SharedJournal openJournal(
      Path dir, SegmentLogOptions options, Map<Long, ShardSegments> shards) throws IOException {
    boolean left = Files.exists(dir.resolve(SharedJournal.FILE));
    if (!options.journaled() && !left) {
      return null;
    }
    SharedJournal journal = SharedJournal.open(dir, options.journalBytes(), options.directWrites());
    try {
      JournalReplay.run(journal, shards, dir);
    } catch (IOException | RuntimeException e) {
      journal.close();
      throw e;
    }
    if (options.journaled()) {
      return journal;
    }
    journal.close();
    Files.delete(dir.resolve(SharedJournal.FILE));
    Directories.sync(dir);
    return null;
  }

  private static FileChannel lock(Path dir) throws IOException {
    FileChannel channel =
        FileChannel.open(
            dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new SegmentLogException(dir + " is in use by another process");
      }
    } catch (OverlappingFileLockException e) {
      channel.close();
      throw new SegmentLogException(dir + " is already open in this process");
    } catch (SegmentLogException e) {
      channel.close();
      throw e;
    }
    return channel;
  }

  /**
   * Appends an entry to a shard (created on its first append). Completes with the entry's LSN once
   * it is fsync'd; fails with {@link SegmentLogException} when the log is closed or a write failed
   * (the log then takes no more appends until reopened).
   *
   * @throws IllegalArgumentException when the payload exceeds {@link
   *     SegmentLogOptions#maxEntryBytes()}
   */
  public CompletableFuture<Long> append(long shardId, SegmentEntry entry) {
    if (entry.payload().length > options.maxEntryBytes()) {
      throw new IllegalArgumentException(
          "an entry of "
              + entry.payload().length
              + " bytes exceeds maxEntryBytes "
              + options.maxEntryBytes());
    }
    return writer.append(shardId, entry);
  }

  /**
   * Removes a shard's entries with LSN > {@code lsn} (a replica dropping what a new leader did not
   * keep), in order with the appends queued before and after it: the next append gets LSN {@code
   * lsn + 1}. Completes once the cut is durable; fails with {@link SegmentLogException} when {@code
   * lsn} is below what a trim kept, or when the log is closed or failed. Nothing beyond {@code lsn}
   * may be read concurrently.
   */
  public CompletableFuture<Long> truncateAfter(long shardId, long lsn) {
    if (lsn < 0) {
      throw new IllegalArgumentException("lsn must be >= 0, found: " + lsn);
    }
    return writer.truncateAfter(shardId, lsn);
  }

  /**
   * Deletes a shard's files (its segments, indexes and directory), in order with the appends queued
   * before and after it: an append queued later starts the shard again at LSN 1. Completes once the
   * deletion is durable; fails with {@link SegmentLogException} when the log is closed or failed.
   * Nothing of the shard may be read concurrently.
   */
  public CompletableFuture<Void> deleteShard(long shardId) {
    return writer.deleteShard(shardId).thenApply(ignored -> null);
  }

  /**
   * Deletes a shard's entries and starts it again, empty, at {@code nextLsn} (a replica taking a
   * leader's log from where the leader's trims left it), in order with the appends queued before
   * and after it: the next append gets {@code nextLsn}. Completes once both are durable.
   */
  public CompletableFuture<Void> restartShard(long shardId, long nextLsn) {
    if (nextLsn < 1) {
      throw new IllegalArgumentException("nextLsn must be >= 1, found: " + nextLsn);
    }
    return writer.restartShard(shardId, nextLsn).thenApply(ignored -> null);
  }

  /** Up to {@code max} durable entries of a shard with LSN >= {@code fromLsn}, in LSN order. */
  public List<LoggedEntry> read(long shardId, long fromLsn, int max) {
    ShardSegments shard = shards.get(shardId);
    return shard == null || max <= 0 ? List.of() : shard.read(fromLsn, max);
  }

  /** The LSN of a shard's last durable entry; 0 when it has none. */
  public long durableLsn(long shardId) {
    ShardSegments shard = shards.get(shardId);
    return shard == null ? 0 : shard.durableLsn();
  }

  /** The LSN of a shard's oldest kept entry (1 until a trim deleted a segment). */
  public long firstLsn(long shardId) {
    ShardSegments shard = shards.get(shardId);
    return shard == null ? 1 : shard.firstLsn();
  }

  /**
   * Deletes a shard's sealed segments whose entries all have LSN < {@code lsn}; durable when it
   * returns. Entries below {@code lsn} in the active segment (or in a sealed one that also holds
   * LSN {@code lsn} or above) stay until a later trim.
   */
  public void trimBefore(long shardId, long lsn) {
    ShardSegments shard = shards.get(shardId);
    if (shard == null) {
      return;
    }
    try {
      shard.trimBefore(lsn);
    } catch (IOException e) {
      throw new SegmentLogException("cannot trim shard " + Long.toUnsignedString(shardId), e);
    }
  }

  /** The shards this log holds files of. */
  public Set<Long> shardIds() {
    return Set.copyOf(shards.keySet());
  }

  /** How many segment files a shard has. */
  public int segmentCount(long shardId) {
    ShardSegments shard = shards.get(shardId);
    return shard == null ? 0 : shard.segmentCount();
  }

  /** Bytes a shard's files (segments, indexes) take now; 0 when it has none. */
  public long diskBytes(long shardId) {
    Path dir = root.resolve(ShardSegments.directoryName(shardId));
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToLong(SegmentLog::sizeOrZero).sum();
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new SegmentLogException("cannot list " + dir, e);
    }
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // deleted by a trim meanwhile
    }
  }

  /** The options the log runs with (direct writes off where the file system refuses them). */
  public SegmentLogOptions options() {
    return options;
  }

  /** Sealed segments whose file is open now (at most the options' {@code openSealedSegments}). */
  public int openSealedSegments() {
    return sealedFiles.openCount();
  }

  public Path directory() {
    return root;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
    // A segment whose direct-write padding could not be cut must not be called cleanly closed.
    boolean clean = failure() == null & closeQuietly(shards);
    if (journal != null) {
      try {
        journal.close();
      } catch (IOException e) {
        clean = false;
      }
    }
    try {
      if (clean) {
        Path marker = root.resolve(CLEAN_MARKER);
        try (FileChannel channel =
            FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        Directories.sync(root);
      }
      lockChannel.close();
    } catch (IOException e) {
      throw new SegmentLogException("cannot close the segment log in " + root, e);
    }
  }

  /** Closes every shard; false when one failed (its files may not end at their last entry). */
  private static boolean closeQuietly(ConcurrentMap<Long, ShardSegments> shards) {
    boolean closed = true;
    for (ShardSegments shard : shards.values()) {
      try {
        shard.close();
      } catch (IOException e) {
        closed = false;
      }
    }
    return closed;
  }
}
