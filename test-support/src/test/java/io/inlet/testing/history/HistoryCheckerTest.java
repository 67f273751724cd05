package io.inlet.testing.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {
  private static final long SHARD = 7;
  private final OperationHistory history = new OperationHistory();

  private static RecordId id(long batch, int index) {
    return new RecordId(SHARD, batch, index);
  }

  private static StoredRecord stored(long batch, int index, String payload) {
    return new StoredRecord(id(batch, index), payload);
  }

  @Test
  void a_clean_history_passes() {
    history.begin("a", "s", SHARD, List.of("a1", "a2")).ok(List.of(id(1, 0), id(1, 1)));
    history.begin("a", "s", SHARD, List.of("a3")).unknown("deadline");
    history.begin("a", "s", SHARD, List.of("a4")).failed("invalid");
    history.begin("m", "mqtt", AppendAttempt.SHARD_CHOSEN_BY_SERVER, List.of("m1")).ok(List.of());
    history.shardRead(
        SHARD,
        List.of(stored(1, 0, "a1"), stored(1, 1, "a2"), stored(2, 0, "m1"), stored(3, 0, "a3")));

    HistoryVerdict verdict = HistoryChecker.check(history);

    assertThat(verdict.findings()).isEmpty();
    assertThat(verdict.clean()).isTrue();
    assertThat(verdict.acknowledged()).isEqualTo(3);
    assertThat(verdict.unknown()).isEqualTo(1);
    assertThat(verdict.failed()).isEqualTo(1);
    assertThat(verdict.stored()).isEqualTo(4);
  }

  @Test
  void an_acknowledged_record_missing_is_lost() {
    history.begin("a", "s", SHARD, List.of("a1")).ok(List.of(id(1, 0)));
    history.begin("m", "mqtt", AppendAttempt.SHARD_CHOSEN_BY_SERVER, List.of("m1")).ok(List.of());
    history.shardRead(SHARD, List.of());

    HistoryVerdict verdict = HistoryChecker.check(history);

    assertThat(verdict.clean()).isFalse();
    assertThat(verdict.lost()).isEqualTo(2);
    assertThat(verdict.findings()).anyMatch(f -> f.contains("a1") && f.contains("missing"));
  }

  @Test
  void an_unknown_or_pending_record_missing_is_fine() {
    history.begin("a", "s", SHARD, List.of("a1")).unknown("connection reset");
    history.begin("a", "s", SHARD, List.of("a2"));
    history.shardRead(SHARD, List.of());

    assertThat(HistoryChecker.check(history).clean()).isTrue();
  }

  @Test
  void a_record_id_handed_out_twice_fails() {
    history.begin("a", "s", SHARD, List.of("a1")).ok(List.of(id(1, 0)));
    history.begin("b", "s", SHARD, List.of("b1")).ok(List.of(id(1, 0)));
    history.shardRead(SHARD, List.of(stored(1, 0, "a1")));

    HistoryVerdict verdict = HistoryChecker.check(history);

    assertThat(verdict.idsHandedOutTwice()).isEqualTo(1);
    assertThat(verdict.clean()).isFalse();
  }

  @Test
  void a_record_read_twice_fails() {
    history.begin("a", "s", SHARD, List.of("a1")).unknown("deadline");
    history.shardRead(SHARD, List.of(stored(1, 0, "a1"), stored(2, 0, "a1")));

    HistoryVerdict verdict = HistoryChecker.check(history);

    assertThat(verdict.readTwice()).isEqualTo(1);
    assertThat(verdict.clean()).isFalse();
  }

  @Test
  void one_record_id_read_for_two_records_fails() {
    history.begin("a", "s", SHARD, List.of("a1", "a2")).unknown("deadline");
    history.shardRead(SHARD, List.of(stored(1, 0, "a1")));
    history.shardRead(SHARD + 1, List.of(new StoredRecord(id(1, 0), "a2")));

    assertThat(HistoryChecker.check(history).readTwice()).isEqualTo(1);
  }

  @Test
  void records_acknowledged_in_order_read_in_another_order_fail() {
    history.begin("a", "s", SHARD, List.of("a1")).ok(List.of(id(2, 0)));
    history.begin("a", "s", SHARD, List.of("a2")).ok(List.of(id(1, 0)));
    // Ids agree with the reads, so only the client's order is broken.
    history.shardRead(SHARD, List.of(stored(1, 0, "a2"), stored(2, 0, "a1")));

    HistoryVerdict verdict = HistoryChecker.check(history);

    assertThat(verdict.outOfOrder()).isEqualTo(1);
    assertThat(verdict.findings()).anyMatch(f -> f.contains("a2") && f.contains("before"));
  }

  @Test
  void overlapping_sends_of_one_client_may_be_read_in_either_order() {
    OperationHistory.Pending first = history.begin("a", "s", SHARD, List.of("a1"));
    OperationHistory.Pending second = history.begin("a", "s", SHARD, List.of("a2"));
    first.ok(List.of(id(2, 0)));
    second.ok(List.of(id(1, 0)));
    history.shardRead(SHARD, List.of(stored(1, 0, "a2"), stored(2, 0, "a1")));

    assertThat(HistoryChecker.check(history).clean()).isTrue();
  }

  @Test
  void order_between_two_clients_is_not_required() {
    history.begin("a", "s", SHARD, List.of("a1")).ok(List.of(id(2, 0)));
    history.begin("b", "s", SHARD, List.of("b1")).ok(List.of(id(1, 0)));
    history.shardRead(SHARD, List.of(stored(1, 0, "b1"), stored(2, 0, "a1")));

    assertThat(HistoryChecker.check(history).clean()).isTrue();
  }

  @Test
  void mqtt_records_without_ids_are_ordered_by_where_they_are_read() {
    history.begin("m", "mqtt", AppendAttempt.SHARD_CHOSEN_BY_SERVER, List.of("m1")).ok(List.of());
    history.begin("m", "mqtt", AppendAttempt.SHARD_CHOSEN_BY_SERVER, List.of("m2")).ok(List.of());
    history.shardRead(SHARD, List.of(stored(1, 0, "m2"), stored(2, 0, "m1")));

    assertThat(HistoryChecker.check(history).outOfOrder()).isEqualTo(1);
  }

  @Test
  void a_batch_read_in_another_order_fails() {
    history.begin("a", "s", SHARD, List.of("a1", "a2")).ok(List.of(id(1, 0), id(1, 1)));
    history.shardRead(SHARD, List.of(stored(1, 0, "a2"), stored(1, 1, "a1")));

    HistoryVerdict verdict = HistoryChecker.check(history);

    assertThat(verdict.outOfOrder()).isPositive();
    assertThat(verdict.misplaced()).isEqualTo(2);
  }

  @Test
  void a_shard_read_out_of_record_id_order_fails() {
    history.begin("a", "s", SHARD, List.of("a1")).unknown("x");
    history.begin("b", "s", SHARD, List.of("b1")).unknown("x");
    history.shardRead(SHARD, List.of(stored(2, 0, "a1"), stored(1, 0, "b1")));

    assertThat(HistoryChecker.check(history).outOfOrder()).isEqualTo(1);
  }

  @Test
  void an_acknowledged_record_under_another_id_or_shard_is_misplaced() {
    history.begin("a", "s", SHARD, List.of("a1")).ok(List.of(id(1, 0)));
    history.begin("a", "s", SHARD + 1, List.of("a2")).ok(List.of(new RecordId(SHARD + 1, 1, 0)));
    history.shardRead(SHARD, List.of(stored(5, 0, "a1"), stored(6, 0, "a2")));

    assertThat(HistoryChecker.check(history).misplaced()).isEqualTo(2);
  }

  @Test
  void a_record_nobody_sent_or_whose_append_was_refused_fails() {
    history.begin("a", "s", SHARD, List.of("a1")).failed("invalid argument");
    history.shardRead(SHARD, List.of(stored(1, 0, "a1"), stored(2, 0, "ghost")));

    HistoryVerdict verdict = HistoryChecker.check(history);

    assertThat(verdict.storedUnasked()).isEqualTo(2);
    assertThat(verdict.clean()).isFalse();
  }

  @Test
  void only_the_first_completion_counts() {
    OperationHistory.Pending pending = history.begin("a", "s", SHARD, List.of("a1"));
    pending.unknown("deadline");
    pending.ok(List.of(id(1, 0)));
    history.shardRead(SHARD, List.of());

    HistoryVerdict verdict = HistoryChecker.check(history);

    assertThat(verdict.acknowledged()).isZero();
    assertThat(verdict.clean()).isTrue();
  }

  @Test
  void findings_keep_a_few_examples_of_each_kind() {
    List<StoredRecord> none = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      history.begin("a", "s", SHARD, List.of("a" + i)).ok(List.of(id(i, 0)));
    }
    history.shardRead(SHARD, none);

    HistoryVerdict verdict = HistoryChecker.check(history);

    assertThat(verdict.lost()).isEqualTo(20);
    assertThat(verdict.findings()).hasSize(6).last().asString().contains("more");
  }
}
