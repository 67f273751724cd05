package io.inlet.store.segment;

import static io.inlet.store.segment.SegmentLogTest.truncate;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared journal: small groups are durable once it is synced, their segments are synced later,
 * and after a crash it puts back what the segments lost, and nothing they must not have. A crash is
 * a copy of the log's directory taken while it is open ({@link #crash}), with a segment's unsynced
 * tail cut off, which is what a power cut can leave.
 */
class SharedJournalTest {
  /** Segments large enough that every entry of a test stays in the first one. */
  private static final SegmentLogOptions OPTIONS =
      new SegmentLogOptions(1 << 20, 1024, 1 << 20, 1 << 20);

  /** Each entry takes this many bytes in its segment (header and a 10-byte payload). */
  private static final int ENTRY_BYTES = EntryHeader.BYTES + 10;

  @TempDir Path dir;

  private Path live;
  private Path crashed;

  @BeforeEach
  void paths() {
    live = dir.resolve("live");
    crashed = dir.resolve("crashed");
  }

  private static SegmentEntry entry(String prefix, int i) {
    String text = String.format("%s%0" + (10 - prefix.length()) + "d", prefix, i);
    return new SegmentEntry(text.getBytes(StandardCharsets.UTF_8), 2, 7, 1_700_000_000_000L + i, 4);
  }

  private static String text(LoggedEntry e) {
    return new String(e.entry().payload(), StandardCharsets.UTF_8);
  }

  private static void append(SegmentLog log, long shard, String prefix, int from, int to) {
    for (int i = from; i <= to; i++) {
      log.append(shard, entry(prefix, i)).join();
    }
  }

  @Test
  void acknowledged_entries_a_segment_lost_are_put_back_from_the_journal() throws Exception {
    try (SegmentLog log = SegmentLog.open(live, OPTIONS)) {
      for (int i = 1; i <= 30; i++) {
        log.append(1, entry("a", i)).join();
        if (i % 3 == 0) {
          log.append(2, entry("b", i / 3)).join();
        }
      }
      crash();
    }
    cutSegment(1, 4 * ENTRY_BYTES + 17); // a torn fifth entry, and nothing after it
    cutSegment(2, 0);

    try (SegmentLog log = SegmentLog.open(crashed, OPTIONS)) {
      assertThat(log.durableLsn(1)).isEqualTo(30);
      assertThat(log.durableLsn(2)).isEqualTo(10);
      List<LoggedEntry> shard1 = log.read(1, 1, 100);
      assertThat(shard1).extracting(LoggedEntry::lsn).containsExactlyElementsOf(range(1, 30));
      assertThat(shard1).extracting(SharedJournalTest::text).endsWith("a000000030");
      SegmentEntry last = shard1.get(29).entry();
      assertThat(last.recordCount()).isEqualTo(2);
      assertThat(last.flags()).isEqualTo(7);
      assertThat(last.appendTimeMs()).isEqualTo(1_700_000_000_030L);
      assertThat(last.epoch()).isEqualTo(4);
      assertThat(log.read(2, 1, 100))
          .extracting(SharedJournalTest::text)
          .hasSize(10)
          .last()
          .isEqualTo("b000000010");
      assertThat(log.append(1, entry("a", 31)).join()).isEqualTo(31);
    }
  }

  @Test
  void the_segments_it_covers_are_written_back_in_the_background_between_checkpoints() {
    SegmentLogOptions smallJournal = OPTIONS.withJournal(SharedJournal.minimumBytes(4096), 4096);
    AtomicInteger writeBacks = new AtomicInteger();
    AtomicInteger checkpoints = new AtomicInteger();
    WriterMeters meters =
        new WriterMeters() {
          @Override
          public void checkpointed(long nanos) {
            checkpoints.incrementAndGet();
          }

          @Override
          public void wroteBack(int segments, long nanos) {
            writeBacks.incrementAndGet();
          }
        };
    try (SegmentLog log = SegmentLog.open(live, smallJournal, meters)) {
      // 300 one-block frames: 4 laps of the journal, 8 write-backs asked for in each
      for (int i = 1; i <= 300; i++) {
        log.append(1 + i % 3, entry("w", i)).join();
      }
      Await.until("a write-back of the covered segments", () -> writeBacks.get() > 0);
      assertThat(checkpoints.get()).as("checkpoints").isGreaterThan(3);
      for (long shard = 1; shard <= 3; shard++) {
        assertThat(log.read(shard, 1, 1000)).as("shard %d", shard).hasSize(100);
      }
    }
  }

  @Test
  void the_journal_starts_again_when_full_and_replays_each_entry_once() throws Exception {
    SegmentLogOptions smallJournal = OPTIONS.withJournal(SharedJournal.minimumBytes(4096), 4096);
    try (SegmentLog log = SegmentLog.open(live, smallJournal)) {
      for (int i = 1; i <= 300; i++) {
        log.append(1 + i % 3, entry("c", i)).join();
      }
      crash();
    }
    long lastShard = 1 + 300 % 3;
    cutSegment(lastShard, 99 * ENTRY_BYTES); // the last append (each shard had 100)
    assertThat(generation()).as("generations: the journal went round").isGreaterThan(3);

    try (SegmentLog log = SegmentLog.open(crashed, smallJournal)) {
      for (long shard = 1; shard <= 3; shard++) {
        assertThat(log.read(shard, 1, 1000))
            .as("shard %d", shard)
            .extracting(LoggedEntry::lsn)
            .containsExactlyElementsOf(range(1, 100));
      }
      assertThat(text(log.read(lastShard, 100, 1).get(0))).isEqualTo("c000000300");
    }
  }

  @Test
  void a_truncation_is_not_undone_by_the_journal() throws Exception {
    try (SegmentLog log = SegmentLog.open(live, OPTIONS)) {
      append(log, 1, "old", 1, 10);
      log.truncateAfter(1, 5).join();
      append(log, 1, "new", 6, 6);
      crash();
    }
    cutSegment(1, 5 * ENTRY_BYTES); // the new sixth entry's write was lost

    try (SegmentLog log = SegmentLog.open(crashed, OPTIONS)) {
      assertThat(log.read(1, 1, 100))
          .extracting(SharedJournalTest::text)
          .containsExactly(
              "old0000001", "old0000002", "old0000003", "old0000004", "old0000005", "new0000006");
    }
  }

  @Test
  void a_deleted_shard_leaves_nothing_for_the_journal_to_replay() throws Exception {
    try (SegmentLog log = SegmentLog.open(live, OPTIONS)) {
      append(log, 1, "a", 1, 5);
      append(log, 2, "b", 1, 5);
      log.deleteShard(2).join();
      append(log, 1, "a", 6, 7);
      crash();
    }
    cutSegment(1, 5 * ENTRY_BYTES);

    try (SegmentLog log = SegmentLog.open(crashed, OPTIONS)) {
      assertThat(log.shardIds()).containsExactly(1L);
      assertThat(log.durableLsn(1)).isEqualTo(7);
    }
  }

  @Test
  void a_torn_frame_ends_the_replay() throws Exception {
    try (SegmentLog log = SegmentLog.open(live, OPTIONS)) {
      append(log, 1, "a", 1, 10);
      crash();
    }
    cutSegment(1, 5 * ENTRY_BYTES);
    SegmentLogTest.flipByte(journal(), offsetOf(journal(), "a000000009")); // the frame of LSN 9

    try (SegmentLog log = SegmentLog.open(crashed, OPTIONS)) {
      assertThat(log.durableLsn(1)).isEqualTo(8);
      assertThat(log.append(1, entry("a", 9)).join()).isEqualTo(9);
    }
  }

  @Test
  void groups_above_the_frame_limit_sync_their_segments_instead() throws Exception {
    try (SegmentLog log = SegmentLog.open(live, OPTIONS.withJournal(1 << 20, 4096))) {
      byte[] large = new byte[8192];
      Arrays.fill(large, (byte) 'L');
      log.append(1, new SegmentEntry(large, 1, 0, 1)).join();
      Path journal = live.resolve(SharedJournal.FILE);
      assertThat(offsetOf(journal, "L".repeat(64)))
          .as("the large entry in the journal")
          .isEqualTo(-1);
      log.append(1, entry("a", 2)).join();
      assertThat(offsetOf(journal, "a000000002")).as("the small entry in the journal").isPositive();
    }
  }

  @Test
  void the_journal_takes_its_whole_size_at_once_so_a_frame_never_grows_the_file() throws Exception {
    SegmentLogOptions options = OPTIONS.withJournal(1 << 20, 4096);
    try (SegmentLog log = SegmentLog.open(live, options)) {
      Path journal = live.resolve(SharedJournal.FILE);
      assertThat(Files.size(journal)).as("on open").isEqualTo(1 << 20);
      append(log, 1, "a", 1, 400); // more than a lap of one-block frames: checkpoints on the way
      assertThat(Files.size(journal)).as("after a lap").isEqualTo(1 << 20);
    }
  }

  /** Where {@code text} first appears in {@code file}, or -1. */
  private static long offsetOf(Path file, String text) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    byte[] wanted = text.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at + wanted.length <= bytes.length; at++) {
      if (Arrays.equals(bytes, at, at + wanted.length, wanted, 0, wanted.length)) {
        return at;
      }
    }
    return -1;
  }

  @Test
  void a_journal_left_by_an_earlier_run_is_replayed_by_a_log_without_one() throws Exception {
    try (SegmentLog log = SegmentLog.open(live, OPTIONS)) {
      append(log, 1, "a", 1, 6);
      crash();
    }
    cutSegment(1, 2 * ENTRY_BYTES);

    try (SegmentLog log = SegmentLog.open(crashed, OPTIONS.withJournal(0, 0))) {
      assertThat(log.durableLsn(1)).isEqualTo(6);
    }
    assertThat(journal()).doesNotExist();
  }

  @Test
  void a_clean_close_syncs_the_segments_and_leaves_the_journal_nothing_to_replay()
      throws Exception {
    try (SegmentLog log = SegmentLog.open(live, OPTIONS)) {
      append(log, 1, "a", 1, 3);
      assertThat(generation(live)).isEqualTo(1);
    }
    // Closing synced the segments, then started the journal's next generation.
    assertThat(generation(live)).isEqualTo(2);
    Files.delete(live.resolve(SharedJournal.FILE));
    try (SegmentLog log = SegmentLog.open(live, OPTIONS)) {
      assertThat(log.durableLsn(1)).isEqualTo(3);
    }
  }

  private Path journal() {
    return crashed.resolve(SharedJournal.FILE);
  }

  private long generation() throws Exception {
    return generation(crashed);
  }

  private static long generation(Path log) throws Exception {
    try (SharedJournal journal = SharedJournal.open(log, OPTIONS.journalBytes(), false)) {
      journal.replay();
      return journal.generation();
    }
  }

  /** What a crash of the open log in {@code live} leaves: a copy of its files as they are now. */
  private void crash() throws Exception {
    DirectAppendTest.copyTree(live, crashed);
  }

  private void cutSegment(long shard, long size) throws Exception {
    try (Stream<Path> files = Files.list(crashed.resolve(ShardSegments.directoryName(shard)))) {
      Path active = files.filter(f -> f.toString().endsWith(".log")).sorted().toList().get(0);
      truncate(active, size);
    }
  }

  private static List<Long> range(long first, long last) {
    return SegmentLogTest.range(first, last - first + 1);
  }
}
