package io.inlet.store.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentLogTest {
  static final SegmentLogOptions SMALL_SEGMENTS =
      new SegmentLogOptions(4096, 1024, 1 << 20, 1 << 20);

  /**
   * Without the shared journal: every group syncs its segments, so what a segment's recovery finds
   * is all there is (with the journal, it puts back what a cut tail held: {@link
   * SharedJournalTest}).
   */
  static final SegmentLogOptions SMALL_SEGMENTS_NO_JOURNAL = SMALL_SEGMENTS.withJournal(0, 0);

  @TempDir Path dir;

  static SegmentEntry entry(String text) {
    return new SegmentEntry(text.getBytes(StandardCharsets.UTF_8), 3, 5, 1_700_000_000_123L);
  }

  static String text(LoggedEntry e) {
    return new String(e.entry().payload(), StandardCharsets.UTF_8);
  }

  static List<Long> appendAll(SegmentLog log, long shard, int from, int to) {
    List<Long> lsns = new ArrayList<>();
    for (int i = from; i < to; i++) {
      lsns.add(log.append(shard, entry("entry-" + i + "-" + "x".repeat(i % 50))).join());
    }
    return lsns;
  }

  @Test
  void a_log_failed_by_a_write_takes_appends_again_once_reopened() throws Exception {
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      appendAll(log, 1, 0, 5);
      // A file where shard 9's directory must go fails its first append, and the log with it.
      Files.writeString(dir.resolve("shard-9"), "in the way");
      assertThatThrownBy(() -> log.append(9, entry("blocked")).join())
          .hasCauseInstanceOf(SegmentLogException.class);
      assertThat(log.failure()).isNotNull();
      assertThatThrownBy(() -> log.append(1, entry("refused")).join())
          .hasCauseInstanceOf(SegmentLogException.class);
      log.reopen();
      assertThat(log.failure()).as("reopened while the cause is still there").isNull();
      Files.delete(dir.resolve("shard-9"));

      assertThat(log.read(1, 1, 100)).hasSize(5);
      assertThat(log.append(1, entry("after")).join())
          .as("no LSN lost to the failure")
          .isEqualTo(6);
      assertThat(log.append(9, entry("first")).join()).isEqualTo(1);
    }
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      assertThat(log.durableLsn(1)).isEqualTo(6);
      assertThat(log.read(9, 1, 10)).extracting(SegmentLogTest::text).containsExactly("first");
    }
  }

  @Test
  void entries_read_back_with_their_lsn_count_flags_and_time() {
    try (SegmentLog log = SegmentLog.open(dir, SegmentLogOptions.DEFAULTS)) {
      assertThat(appendAll(log, 7, 0, 20)).containsExactlyElementsOf(range(1, 20));
      assertThat(log.durableLsn(7)).isEqualTo(20);

      List<LoggedEntry> read = log.read(7, 1, 100);
      assertThat(read).hasSize(20);
      for (int i = 0; i < 20; i++) {
        LoggedEntry e = read.get(i);
        assertThat(e.lsn()).isEqualTo(i + 1);
        assertThat(text(e)).isEqualTo("entry-" + i + "-" + "x".repeat(i % 50));
        assertThat(e.entry().recordCount()).isEqualTo(3);
        assertThat(e.entry().flags()).isEqualTo(5);
        assertThat(e.entry().appendTimeMs()).isEqualTo(1_700_000_000_123L);
      }
      assertThat(log.read(7, 15, 3)).extracting(LoggedEntry::lsn).containsExactly(15L, 16L, 17L);
      assertThat(log.read(7, 21, 10)).isEmpty();
      assertThat(log.read(8, 1, 10)).isEmpty();
    }
  }

  @Test
  void an_empty_payload_is_an_entry_too() {
    try (SegmentLog log = SegmentLog.open(dir, SegmentLogOptions.DEFAULTS)) {
      assertThat(log.append(1, new SegmentEntry(new byte[0], 1, 0, 0)).join()).isEqualTo(1);
      assertThat(log.read(1, 1, 10).get(0).entry().payload()).isEmpty();
    }
  }

  @Test
  void each_shard_has_its_own_lsns() {
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      List<CompletableFuture<Long>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        for (long shard = 0; shard < 25; shard++) {
          futures.add(log.append(shard, entry(shard + ":" + i)));
        }
      }
      futures.forEach(CompletableFuture::join);
      for (long shard = 0; shard < 25; shard++) {
        List<LoggedEntry> read = log.read(shard, 1, 1000);
        assertThat(read).extracting(LoggedEntry::lsn).containsExactlyElementsOf(range(1, 40));
        for (int i = 0; i < 40; i++) {
          assertThat(text(read.get(i))).isEqualTo(shard + ":" + i);
        }
      }
    }
  }

  @Test
  void segments_roll_at_the_size_limit_and_trim_deletes_whole_older_segments() throws Exception {
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      appendAll(log, 1, 0, 300);
      int segments = log.segmentCount(1);
      assertThat(segments).isGreaterThan(5);
      assertThat(log.read(1, 1, 1000))
          .extracting(LoggedEntry::lsn)
          .containsExactlyElementsOf(range(1, 300));

      log.trimBefore(1, 150);

      assertThat(log.segmentCount(1)).isLessThan(segments);
      long first = log.firstLsn(1);
      assertThat(first).isGreaterThan(1).isLessThanOrEqualTo(150);
      assertThat(log.read(1, 1, 1000))
          .extracting(LoggedEntry::lsn)
          .containsExactlyElementsOf(range(first, 300 - first + 1));
      try (Stream<Path> files = Files.list(dir.resolve("shard-1"))) {
        assertThat(files.filter(f -> f.toString().endsWith(".log")).count())
            .isEqualTo(log.segmentCount(1));
      }

      log.trimBefore(1, 10_000);
      assertThat(log.segmentCount(1)).isEqualTo(1);
      assertThat(log.read(1, 300, 10)).extracting(LoggedEntry::lsn).containsExactly(300L);
      assertThat(log.append(1, entry("after trim")).join()).isEqualTo(301);
    }
  }

  @Test
  void a_deleted_shard_leaves_no_file_and_the_other_shards_keep_theirs() {
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      appendAll(log, 1, 0, 200);
      appendAll(log, 2, 0, 3);
      log.deleteShard(1).join();

      assertThat(Files.exists(dir.resolve("shard-1"))).isFalse();
      assertThat(log.read(1, 1, 10)).isEmpty();
      assertThat(log.durableLsn(1)).isZero();
      assertThat(log.read(2, 1, 10)).hasSize(3);
    }
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      assertThat(Files.exists(dir.resolve("shard-1"))).isFalse();
      assertThat(log.durableLsn(2)).isEqualTo(3);
    }
  }

  @Test
  void a_reopened_log_keeps_every_entry_and_continues_the_lsns() {
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      appendAll(log, 1, 0, 200);
      appendAll(log, 2, 0, 3);
      log.trimBefore(1, 50);
    }
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      long first = log.firstLsn(1);
      assertThat(log.read(1, 1, 1000))
          .extracting(LoggedEntry::lsn)
          .containsExactlyElementsOf(range(first, 200 - first + 1));
      assertThat(text(log.read(1, 200, 1).get(0))).isEqualTo("entry-199-" + "x".repeat(49));
      assertThat(log.durableLsn(2)).isEqualTo(3);
      assertThat(log.append(1, entry("next")).join()).isEqualTo(201);
      assertThat(log.append(2, entry("next")).join()).isEqualTo(4);
    }
  }

  @Test
  void a_missing_or_damaged_sparse_index_is_rebuilt() throws Exception {
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      appendAll(log, 1, 0, 200);
    }
    List<Path> indexes = files("shard-1", ".idx");
    assertThat(indexes).isNotEmpty();
    Files.delete(indexes.get(0));
    Files.write(indexes.get(1), new byte[] {1, 2, 3});
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      assertThat(log.read(1, 1, 1000))
          .extracting(LoggedEntry::lsn)
          .containsExactlyElementsOf(range(1, 200));
      assertThat(log.read(1, 77, 1)).extracting(LoggedEntry::lsn).containsExactly(77L);
    }
    assertThat(Files.size(indexes.get(0))).isPositive();
    assertThat(Files.size(indexes.get(1)) % 16).isZero();
  }

  @Test
  void a_torn_tail_after_a_crash_is_cut_off_and_appends_continue() throws Exception {
    writeThenCrash(20, SMALL_SEGMENTS_NO_JOURNAL);
    Path active = last(files("shard-1", ".log"));
    long size = Files.size(active);
    truncate(active, size - 7);

    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS_NO_JOURNAL)) {
      assertThat(log.durableLsn(1)).isEqualTo(19);
      assertThat(log.read(1, 1, 100))
          .extracting(LoggedEntry::lsn)
          .containsExactlyElementsOf(range(1, 19));
      assertThat(log.append(1, entry("again")).join()).isEqualTo(20);
      assertThat(text(log.read(1, 20, 1).get(0))).isEqualTo("again");
    }
  }

  @Test
  void a_corrupt_last_entry_or_trailing_zeros_after_a_crash_are_cut_off() throws Exception {
    writeThenCrash(20, SMALL_SEGMENTS_NO_JOURNAL);
    Path active = last(files("shard-1", ".log"));
    flipByte(active, Files.size(active) - 3);
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS_NO_JOURNAL)) {
      assertThat(log.durableLsn(1)).isEqualTo(19);
      appendAll(log, 1, 100, 102);
    }
    Files.delete(dir.resolve("clean-shutdown"));
    Files.write(active, new byte[4096], java.nio.file.StandardOpenOption.APPEND);
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS_NO_JOURNAL)) {
      assertThat(log.durableLsn(1)).isEqualTo(21);
    }
  }

  @Test
  void damage_in_the_middle_of_the_active_segment_is_refused_and_nothing_changes()
      throws Exception {
    writeThenCrash(20, SMALL_SEGMENTS_NO_JOURNAL);
    Path active = last(files("shard-1", ".log"));
    long size = Files.size(active);
    flipByte(active, size / 2);

    assertThatThrownBy(() -> SegmentLog.open(dir, SMALL_SEGMENTS_NO_JOURNAL))
        .isInstanceOf(SegmentDamagedException.class)
        .hasMessageContaining(active.getFileName().toString())
        .hasMessageContaining("damage, not a torn tail");
    assertThat(Files.size(active)).isEqualTo(size);
    // and the directory can be opened again after the refusal failed nothing else
    assertThatThrownBy(() -> SegmentLog.open(dir, SMALL_SEGMENTS_NO_JOURNAL))
        .isInstanceOf(SegmentDamagedException.class);
  }

  @Test
  void damage_in_a_sealed_segment_is_refused() throws Exception {
    writeThenCrash(200);
    Path sealed = files("shard-1", ".log").get(1);
    flipByte(sealed, Files.size(sealed) - 2);
    assertThatThrownBy(() -> SegmentLog.open(dir, SMALL_SEGMENTS))
        .isInstanceOf(SegmentDamagedException.class)
        .hasMessageContaining(sealed.getFileName().toString())
        .hasMessageContaining("sealed segment");
  }

  @Test
  void a_missing_segment_between_others_is_refused() throws Exception {
    writeThenCrash(200);
    Files.delete(files("shard-1", ".log").get(2));
    assertThatThrownBy(() -> SegmentLog.open(dir, SMALL_SEGMENTS))
        .isInstanceOf(SegmentDamagedException.class)
        .hasMessageContaining("was expected");
  }

  @Test
  void a_bad_entry_followed_only_by_entries_of_unacknowledged_groups_is_a_torn_tail()
      throws Exception {
    writeThenCrash(10);
    Path active = last(files("shard-1", ".log"));
    long acknowledgedEnd = Files.size(active);
    // a group of LSNs 11 and 12 written after LSN 10 was durable, whose first entry did not
    // reach the disk whole while the second did (page write-back order is not file order)
    appendRaw(active, 11, 10, "eleven");
    appendRaw(active, 12, 10, "twelve");
    flipByte(active, acknowledgedEnd + EntryHeader.BYTES + 1);

    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      assertThat(log.durableLsn(1)).isEqualTo(10);
      assertThat(Files.size(active)).isEqualTo(acknowledgedEnd);
    }
  }

  @Test
  void a_bad_entry_that_a_later_entry_shows_was_durable_is_refused() throws Exception {
    writeThenCrash(10);
    Path active = last(files("shard-1", ".log"));
    long acknowledgedEnd = Files.size(active);
    appendRaw(active, 11, 10, "eleven");
    appendRaw(active, 12, 11, "twelve"); // written after 11 was acknowledged
    flipByte(active, acknowledgedEnd + EntryHeader.BYTES + 1);

    assertThatThrownBy(() -> SegmentLog.open(dir, SMALL_SEGMENTS))
        .isInstanceOf(SegmentDamagedException.class)
        .hasMessageContaining("at LSN 11")
        .hasMessageContaining("up to LSN 11");
  }

  private static void appendRaw(Path file, long lsn, long durableLsn, String text)
      throws Exception {
    SegmentEntry entry = entry(text);
    java.nio.ByteBuffer bytes =
        java.nio.ByteBuffer.allocate(EntryHeader.BYTES + entry.payload().length);
    EntryHeader.write(bytes, lsn, durableLsn, entry);
    bytes.put(entry.payload());
    Files.write(file, bytes.array(), java.nio.file.StandardOpenOption.APPEND);
  }

  @Test
  void a_torn_tail_after_a_clean_shutdown_is_refused() throws Exception {
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      appendAll(log, 1, 0, 20);
    }
    Path active = last(files("shard-1", ".log"));
    truncate(active, Files.size(active) - 7);
    assertThatThrownBy(() -> SegmentLog.open(dir, SMALL_SEGMENTS))
        .isInstanceOf(SegmentDamagedException.class)
        .hasMessageContaining("clean shutdown");
  }

  @Test
  void damage_found_by_a_read_fails_the_read() throws Exception {
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      appendAll(log, 1, 0, 200);
      Path sealed = files("shard-1", ".log").get(0);
      flipByte(sealed, 100);
      assertThatThrownBy(() -> log.read(1, 1, 10)).isInstanceOf(SegmentDamagedException.class);
      assertThat(log.read(1, 150, 1)).extracting(LoggedEntry::lsn).containsExactly(150L);
    }
  }

  @Test
  void an_oversized_entry_is_refused_and_the_log_goes_on() {
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      assertThatThrownBy(() -> log.append(1, new SegmentEntry(new byte[(1 << 20) + 1], 1, 0, 0)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxEntryBytes");
      assertThat(log.append(1, entry("fine")).join()).isEqualTo(1);
    }
  }

  @Test
  void a_log_open_elsewhere_is_refused_and_appends_after_close_fail() {
    SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS);
    assertThatThrownBy(() -> SegmentLog.open(dir, SMALL_SEGMENTS))
        .isInstanceOf(SegmentLogException.class)
        .hasMessageContaining("already open");
    log.close();
    log.close();
    assertThat(log.append(1, entry("late"))).isCompletedExceptionally();
  }

  @Test
  void a_read_of_a_closed_log_fails_instead_of_retrying_for_ever() {
    SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS);
    appendAll(log, 1, 0, 50);
    log.close();
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThatThrownBy(() -> log.read(1, 1, 100))
                .isInstanceOf(SegmentLogException.class)
                .hasMessageContaining("the log is closed"));
  }

  /** Appends one entry at a time (each acknowledged before the next), then leaves as a crash. */
  private void writeThenCrash(int entries) throws Exception {
    writeThenCrash(entries, SMALL_SEGMENTS);
  }

  private void writeThenCrash(int entries, SegmentLogOptions options) throws Exception {
    try (SegmentLog log = SegmentLog.open(dir, options)) {
      appendAll(log, 1, 0, entries);
    }
    Files.delete(dir.resolve("clean-shutdown"));
  }

  private List<Path> files(String shardDir, String suffix) throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve(shardDir))) {
      return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static Path last(List<Path> paths) {
    return paths.get(paths.size() - 1);
  }

  static void truncate(Path file, long size) throws Exception {
    try (var channel =
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  static void flipByte(Path file, long position) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) position] ^= 0x40;
    Files.write(file, bytes);
  }

  static List<Long> range(long first, long count) {
    List<Long> out = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      out.add(first + i);
    }
    return out;
  }
}
