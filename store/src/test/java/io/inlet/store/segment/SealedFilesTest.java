package io.inlet.store.segment;

import static io.inlet.store.segment.SegmentLogTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log keeps at most {@link SegmentLogOptions#openSealedSegments()} sealed segment files open
 * between reads, counted by the process's own open descriptors ({@code /proc/self/fd}).
 */
class SealedFilesTest {
  private static final int BUDGET = 3;
  private static final int SHARDS = 3;
  private static final int ENTRIES = 120; // ~1 KiB each in 4 KiB segments: ~40 segments per shard
  private static final SegmentLogOptions OPTIONS =
      SegmentLogTest.SMALL_SEGMENTS.withOpenSealedSegments(BUDGET);

  @TempDir Path dir;

  @Test
  void sealed_files_beyond_the_budget_are_closed_and_opened_again_by_reads() throws Exception {
    try (SegmentLog log = SegmentLog.open(dir, OPTIONS)) {
      fill(log);
      assertThat(log.segmentCount(1)).isGreaterThan(30);
      assertThat(openSealedFiles()).isBetween(1L, (long) BUDGET);

      for (long shard = 1; shard <= SHARDS; shard++) {
        assertThat(readAll(log, shard)).containsExactlyElementsOf(expected(shard));
      }
      assertThat(openSealedFiles()).isLessThanOrEqualTo(BUDGET);
      assertThat(log.openSealedSegments()).isLessThanOrEqualTo(BUDGET);
    }
    // Recovery opens every segment, one at a time within the budget.
    try (SegmentLog log = SegmentLog.open(dir, OPTIONS)) {
      assertThat(openSealedFiles()).isLessThanOrEqualTo(BUDGET);
      for (long shard = 1; shard <= SHARDS; shard++) {
        assertThat(readAll(log, shard)).containsExactlyElementsOf(expected(shard));
      }
      assertThat(openSealedFiles()).isLessThanOrEqualTo(BUDGET);
    }
  }

  @Test
  void readers_of_many_segments_at_once_each_read_everything() throws Exception {
    try (SegmentLog log = SegmentLog.open(dir, OPTIONS.withOpenSealedSegments(1))) {
      fill(log);
      ExecutorService readers = Executors.newFixedThreadPool(6);
      try {
        List<Future<Boolean>> rounds = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
          long shard = 1 + i % SHARDS;
          rounds.add(readers.submit(() -> readInSmallSteps(log, shard).equals(expected(shard))));
        }
        for (Future<Boolean> round : rounds) {
          assertThat(round.get()).isTrue();
        }
      } finally {
        readers.shutdownNow();
      }
      assertThat(openSealedFiles()).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void a_truncation_into_a_closed_sealed_segment_opens_it_and_appends_go_on() throws Exception {
    try (SegmentLog log = SegmentLog.open(dir, OPTIONS)) {
      fill(log);
      // Shard 1's early segments were closed long ago (the budget is 3 over ~120 segments).
      log.truncateAfter(1, 10).join();
      assertThat(log.append(1, entry("after the cut")).join()).isEqualTo(11);
      List<String> read = readAll(log, 1);
      assertThat(read).hasSize(11);
      assertThat(read.subList(0, 10)).isEqualTo(expected(1).subList(0, 10));
      assertThat(read.get(10)).isEqualTo("after the cut");
      // A trim deletes closed and open sealed segments alike.
      log.trimBefore(2, 60);
      List<String> kept = readAll(log, 2);
      assertThat(kept.size()).isBetween(ENTRIES - 59, ENTRIES - 1);
      assertThat(kept).isEqualTo(expected(2).subList(ENTRIES - kept.size(), ENTRIES));
    }
  }

  private static void fill(SegmentLog log) {
    for (int i = 0; i < ENTRIES; i++) {
      for (long shard = 1; shard <= SHARDS; shard++) {
        log.append(shard, entry(text(shard, i))).join();
      }
    }
  }

  private static String text(long shard, int i) {
    return "shard-" + shard + "-entry-" + i + "-" + "x".repeat(1000);
  }

  private static List<String> expected(long shard) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < ENTRIES; i++) {
      texts.add(text(shard, i));
    }
    return texts;
  }

  private static List<String> readAll(SegmentLog log, long shard) {
    return log.read(shard, log.firstLsn(shard), Integer.MAX_VALUE).stream()
        .map(SegmentLogTest::text)
        .toList();
  }

  /** Reads a few entries at a time, so each read opens one sealed segment after another. */
  private static List<String> readInSmallSteps(SegmentLog log, long shard) {
    List<String> texts = new ArrayList<>();
    long next = log.firstLsn(shard);
    while (true) {
      List<LoggedEntry> chunk = log.read(shard, next, 2);
      if (chunk.isEmpty()) {
        return texts;
      }
      chunk.forEach(e -> texts.add(SegmentLogTest.text(e)));
      next = chunk.get(chunk.size() - 1).lsn() + 1;
    }
  }

  /**
   * Segment files of this log the process has open now, the active ones (the last of each shard)
   * excepted.
   */
  private long openSealedFiles() throws IOException {
    List<Path> active = new ArrayList<>();
    for (long shard = 1; shard <= SHARDS; shard++) {
      try (Stream<Path> files = Files.list(dir.resolve("shard-" + shard))) {
        files
            .filter(f -> f.toString().endsWith(".log"))
            .max(Path::compareTo)
            .ifPresent(active::add);
      }
    }
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(SealedFilesTest::target)
          .filter(t -> t != null && t.startsWith(dir) && t.toString().endsWith(".log"))
          .filter(t -> !active.contains(t))
          .distinct()
          .count();
    }
  }

  private static Path target(Path fd) {
    try {
      return Files.readSymbolicLink(fd);
    } catch (IOException e) {
      return null; // closed meanwhile
    }
  }
}
