package io.inlet.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AckTrackerTest {
  private static final long SHARD = 7;

  private static int batchOf(int size) {
    return size;
  }

  private static void ackAll(InFlightBatch b) {
    for (int i = 0; i < b.size; i++) {
      b.ack(i);
    }
  }

  @Test
  void prefix_starts_at_the_start_position_and_follows_reads_while_nothing_is_in_flight() {
    AckTracker tracker = new AckTracker(5);
    assertThat(tracker.ackedPrefix()).isEqualTo(5);
    InFlightBatch b = tracker.track(SHARD, 5, batchOf(2));
    assertThat(tracker.ackedPrefix()).isEqualTo(5);
    ackAll(b);
    assertThat(tracker.releaseAcknowledged()).isTrue();
    assertThat(tracker.ackedPrefix()).isEqualTo(6);
    assertThat(tracker.inFlightBatches()).isZero();
  }

  @Test
  void prefix_stops_at_the_first_batch_not_fully_acknowledged() {
    AckTracker tracker = new AckTracker(1);
    InFlightBatch first = tracker.track(SHARD, 1, batchOf(3));
    InFlightBatch second = tracker.track(SHARD, 2, batchOf(3));
    InFlightBatch third = tracker.track(SHARD, 3, batchOf(3));

    ackAll(second);
    ackAll(third);
    assertThat(tracker.releaseAcknowledged()).isFalse();
    assertThat(tracker.ackedPrefix()).isEqualTo(1);

    first.ack(0);
    first.ack(2);
    assertThat(first.isComplete()).isFalse();
    assertThat(tracker.releaseAcknowledged()).isFalse();
    assertThat(tracker.ackedPrefix()).isEqualTo(1);

    first.ack(1);
    assertThat(tracker.releaseAcknowledged()).isTrue();
    assertThat(tracker.ackedPrefix()).isEqualTo(4);
  }

  @Test
  void duplicate_and_out_of_range_acks_change_nothing() {
    AckTracker tracker = new AckTracker(1);
    InFlightBatch b = tracker.track(SHARD, 1, batchOf(2));
    assertThat(b.ack(0)).isTrue();
    assertThat(b.ack(0)).isFalse();
    assertThat(b.ack(2)).isFalse();
    assertThat(b.ack(-1)).isFalse();
    assertThat(b.ackedCount()).isEqualTo(1);
    assertThat(b.unackedCount()).isEqualTo(1);
    assertThat(b.isAcked(0)).isTrue();
    assertThat(b.isAcked(1)).isFalse();
  }

  @Test
  void acknowledged_batches_are_no_longer_found() {
    AckTracker tracker = new AckTracker(1);
    ackAll(tracker.track(SHARD, 1, batchOf(1)));
    tracker.track(SHARD, 2, batchOf(1));
    tracker.releaseAcknowledged();
    assertThat(tracker.find(1)).isNull();
    assertThat(tracker.find(2)).isNotNull();
    assertThat(tracker.find(3)).isNull();
  }

  @Test
  void gaps_in_the_lsn_sequence_do_not_hold_the_prefix_back() {
    AckTracker tracker = new AckTracker(1);
    InFlightBatch b = tracker.track(SHARD, 10, batchOf(1));
    assertThat(tracker.ackedPrefix()).isEqualTo(10);
    ackAll(b);
    tracker.releaseAcknowledged();
    assertThat(tracker.ackedPrefix()).isEqualTo(11);
  }

  @Test
  void empty_batches_are_acknowledged_by_nature() {
    AckTracker tracker = new AckTracker(1);
    InFlightBatch first = tracker.track(SHARD, 1, batchOf(1));
    tracker.track(SHARD, 2, batchOf(0));
    ackAll(first);
    tracker.releaseAcknowledged();
    assertThat(tracker.ackedPrefix()).isEqualTo(3);
    tracker.track(SHARD, 3, batchOf(0));
    assertThat(tracker.ackedPrefix()).isEqualTo(4);
  }

  @Test
  void a_bitset_covers_batches_larger_than_one_word() {
    AckTracker tracker = new AckTracker(1);
    InFlightBatch b = tracker.track(SHARD, 1, batchOf(1000));
    for (int i = 999; i >= 0; i--) {
      assertThat(b.ack(i)).isTrue();
      assertThat(b.isComplete()).isEqualTo(i == 0);
    }
  }

  @Test
  void many_batches_in_flight_grow_the_ring_and_stay_searchable() {
    AckTracker tracker = new AckTracker(1);
    for (long lsn = 1; lsn <= 100; lsn++) {
      tracker.track(SHARD, lsn, batchOf(1));
    }
    for (long lsn = 1; lsn <= 50; lsn++) {
      tracker.find(lsn).ack(0);
    }
    tracker.releaseAcknowledged();
    for (long lsn = 101; lsn <= 140; lsn++) {
      tracker.track(SHARD, lsn, batchOf(1));
    }
    assertThat(tracker.ackedPrefix()).isEqualTo(51);
    for (long lsn = 51; lsn <= 140; lsn++) {
      assertThat(tracker.find(lsn).lsn).isEqualTo(lsn);
    }
    assertThat(tracker.inFlightBatches()).isEqualTo(90);
  }

  @Test
  void batches_must_be_tracked_in_lsn_order() {
    AckTracker tracker = new AckTracker(5);
    tracker.track(SHARD, 6, batchOf(1));
    assertThatThrownBy(() -> tracker.track(SHARD, 6, batchOf(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
