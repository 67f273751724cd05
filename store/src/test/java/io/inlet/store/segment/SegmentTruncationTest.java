package io.inlet.store.segment;

import static io.inlet.store.segment.SegmentLogTest.SMALL_SEGMENTS;
import static io.inlet.store.segment.SegmentLogTest.appendAll;
import static io.inlet.store.segment.SegmentLogTest.range;
import static io.inlet.store.segment.SegmentLogTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentTruncationTest {
  @TempDir Path dir;

  @Test
  void the_epoch_is_kept_with_the_entry() {
    try (SegmentLog log = SegmentLog.open(dir, SegmentLogOptions.DEFAULTS)) {
      log.append(1, new SegmentEntry(new byte[] {1, 2}, 1, 0, 5, 42)).join();
    }
    try (SegmentLog log = SegmentLog.open(dir, SegmentLogOptions.DEFAULTS)) {
      assertThat(log.read(1, 1, 1).get(0).entry().epoch()).isEqualTo(42);
    }
  }

  @Test
  void a_truncation_inside_the_active_segment_lets_the_next_append_take_the_cut_lsn() {
    try (SegmentLog log = SegmentLog.open(dir, SegmentLogOptions.DEFAULTS)) {
      appendAll(log, 3, 0, 10);
      assertThat(log.truncateAfter(3, 4).join()).isEqualTo(4);
      assertThat(log.durableLsn(3)).isEqualTo(4);
      assertThat(log.append(3, entry("new-5")).join()).isEqualTo(5);
      assertThat(texts(log.read(3, 1, 100)))
          .containsExactly("entry-0-", "entry-1-x", "entry-2-xx", "entry-3-xxx", "new-5");
    }
    try (SegmentLog log = SegmentLog.open(dir, SegmentLogOptions.DEFAULTS)) {
      assertThat(log.read(3, 1, 100))
          .extracting(LoggedEntry::lsn)
          .containsExactlyElementsOf(range(1, 5));
      assertThat(text(log.read(3, 5, 1).get(0))).isEqualTo("new-5");
    }
  }

  @Test
  void a_truncation_across_segments_deletes_the_later_ones_and_holds_after_a_reopen() {
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      appendAll(log, 1, 0, 200);
      int before = log.segmentCount(1);
      assertThat(before).isGreaterThan(3);
      log.truncateAfter(1, 30).join();
      assertThat(log.segmentCount(1)).isLessThan(before);
      assertThat(log.read(1, 1, 1000))
          .extracting(LoggedEntry::lsn)
          .containsExactlyElementsOf(range(1, 30));
      appendAll(log, 1, 500, 600);
      assertThat(log.durableLsn(1)).isEqualTo(130);
    }
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      List<LoggedEntry> all = log.read(1, 1, 1000);
      assertThat(all).extracting(LoggedEntry::lsn).containsExactlyElementsOf(range(1, 130));
      assertThat(text(all.get(30))).startsWith("entry-500-");
    }
  }

  @Test
  void a_truncation_to_zero_empties_the_shard() {
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      appendAll(log, 1, 0, 100);
      log.truncateAfter(1, 0).join();
      assertThat(log.read(1, 1, 1000)).isEmpty();
      assertThat(log.append(1, entry("again")).join()).isEqualTo(1);
    }
    try (SegmentLog log = SegmentLog.open(dir, SMALL_SEGMENTS)) {
      assertThat(texts(log.read(1, 1, 1000))).containsExactly("again");
    }
  }

  private static SegmentEntry entry(String text) {
    return new SegmentEntry(text.getBytes(StandardCharsets.UTF_8), 1, 0, 0);
  }

  private static List<String> texts(List<LoggedEntry> entries) {
    return entries.stream().map(SegmentLogTest::text).toList();
  }
}
