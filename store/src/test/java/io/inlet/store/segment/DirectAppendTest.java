package io.inlet.store.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments written with O_DIRECT ({@link DirectAppender}) against segments written through the page
 * cache.
 */
class DirectAppendTest {
  private static final SegmentLogOptions DIRECT =
      new SegmentLogOptions(64 << 10, 4096, 1 << 20, 1 << 20, true).withJournal(0, 0);
  private static final SegmentLogOptions PAGE_CACHE =
      new SegmentLogOptions(64 << 10, 4096, 1 << 20, 1 << 20, false).withJournal(0, 0);

  /**
   * Direct writes for entries too large for the journal's 4 KiB frames, writes through the page
   * cache for the others (the journal makes those durable): both in one segment.
   */
  private static final SegmentLogOptions MIXED =
      new SegmentLogOptions(64 << 10, 4096, 1 << 20, 1 << 20, true)
          .withJournal(SharedJournal.minimumBytes(4096), 4096);

  @TempDir Path dir;

  @BeforeEach
  void directWritesWorkHere() {
    assumeTrue(
        DirectAppender.supported(dir), "the test directory's filesystem takes no direct writes");
  }

  /** Entries of 0 to 9,000 bytes, so writes start and end anywhere in a block and cross several. */
  private static List<SegmentEntry> entries(int count, long seed) {
    Random random = new Random(seed);
    List<SegmentEntry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] payload = new byte[random.nextInt(9_000)];
      random.nextBytes(payload);
      entries.add(new SegmentEntry(payload, 1 + random.nextInt(5), 0, 1_700_000_000_000L + i));
    }
    return entries;
  }

  private static void appendEach(SegmentLog log, long shard, List<SegmentEntry> entries) {
    for (SegmentEntry entry : entries) {
      log.append(shard, entry).join();
    }
  }

  @Test
  void direct_and_page_cache_writes_leave_the_same_files() throws IOException {
    List<SegmentEntry> entries = entries(300, 1);
    try (SegmentLog direct = SegmentLog.open(dir.resolve("direct"), DIRECT);
        SegmentLog buffered = SegmentLog.open(dir.resolve("buffered"), PAGE_CACHE);
        SegmentLog mixed = SegmentLog.open(dir.resolve("mixed"), MIXED)) {
      appendEach(direct, 1, entries);
      appendEach(buffered, 1, entries);
      appendEach(mixed, 1, entries);
      assertThat(direct.segmentCount(1)).isGreaterThan(3);
    }
    assertSameSegments(dir.resolve("direct"), dir.resolve("buffered"));
    // The mixed log's headers name other synced LSNs, so its bytes differ: its segments alone (no
    // journal to fall back on) must hold every entry.
    Files.delete(dir.resolve("mixed").resolve(SharedJournal.FILE));
    try (SegmentLog mixed = SegmentLog.open(dir.resolve("mixed"), MIXED)) {
      assertThat(payloads(mixed.read(1, 1, 1000))).isEqualTo(payloads(entries));
    }
  }

  private static void assertSameSegments(Path log, Path expected) throws IOException {
    List<Path> logFiles =
        files(log).stream().filter(p -> p.startsWith(log.resolve("shard-1"))).toList();
    List<Path> expectedFiles =
        files(expected).stream().filter(p -> p.startsWith(expected.resolve("shard-1"))).toList();
    assertThat(logFiles.stream().map(log::relativize).toList())
        .isEqualTo(expectedFiles.stream().map(expected::relativize).toList());
    for (int i = 0; i < logFiles.size(); i++) {
      assertThat(Files.readAllBytes(logFiles.get(i)))
          .as(logFiles.get(i).toString())
          .isEqualTo(Files.readAllBytes(expectedFiles.get(i)));
    }
  }

  @Test
  void an_open_segment_ends_on_a_block_boundary_and_a_copy_of_it_recovers_every_entry()
      throws IOException {
    List<SegmentEntry> entries = entries(40, 2);
    Path copy = dir.resolve("copy");
    try (SegmentLog log = SegmentLog.open(dir.resolve("log"), DIRECT)) {
      appendEach(log, 3, entries);
      Path active =
          files(dir.resolve("log")).stream()
              .filter(p -> p.toString().endsWith(".log"))
              .reduce((a, b) -> b)
              .orElseThrow();
      assertThat(Files.size(active) % 4096).as("padded to a block while open").isZero();
      copyTree(dir.resolve("log"), copy);
    }
    try (SegmentLog recovered = SegmentLog.open(copy, DIRECT)) {
      assertThat(payloads(recovered.read(3, 1, 1000))).isEqualTo(payloads(entries));
      List<SegmentEntry> more = entries(10, 3);
      appendEach(recovered, 3, more);
      List<SegmentEntry> all = new ArrayList<>(entries);
      all.addAll(more);
      assertThat(payloads(recovered.read(3, 1, 1000))).isEqualTo(payloads(all));
    }
    try (SegmentLog reopened = SegmentLog.open(copy, PAGE_CACHE)) {
      assertThat(reopened.read(3, 1, 1000)).hasSize(50);
    }
  }

  @Test
  void a_truncation_keeps_writing_after_the_entry_kept() {
    List<SegmentEntry> entries = entries(30, 4);
    try (SegmentLog log = SegmentLog.open(dir.resolve("log"), DIRECT)) {
      appendEach(log, 5, entries);
      log.truncateAfter(5, 12).join();
      List<SegmentEntry> after = entries(5, 5);
      appendEach(log, 5, after);
      List<SegmentEntry> expected = new ArrayList<>(entries.subList(0, 12));
      expected.addAll(after);
      assertThat(payloads(log.read(5, 1, 1000))).isEqualTo(payloads(expected));
    }
    try (SegmentLog reopened = SegmentLog.open(dir.resolve("log"), DIRECT)) {
      assertThat(reopened.read(5, 1, 1000)).hasSize(17);
    }
  }

  private static List<String> payloads(List<?> entries) {
    return entries.stream()
        .map(e -> e instanceof LoggedEntry logged ? logged.entry() : (SegmentEntry) e)
        .map(e -> Arrays.toString(e.payload()))
        .toList();
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals("lock"))
          .sorted()
          .toList();
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.sorted().toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
