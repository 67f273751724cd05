package io.inlet.cluster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EpochTableTest {
  private static EpochTable table(long... firstLsnEpochPairs) {
    EpochTable table = new EpochTable();
    for (int i = 0; i < firstLsnEpochPairs.length; i += 2) {
      table.appended(firstLsnEpochPairs[i], firstLsnEpochPairs[i + 1]);
    }
    return table;
  }

  @Test
  void logs_agree_up_to_the_last_lsn_where_both_hold_the_same_epoch() {
    EpochTable leader = table(1, 1, 11, 3);
    assertThat(EpochTable.divergence(leader, 20, table(1, 1), 8)).isEqualTo(8);
    assertThat(EpochTable.divergence(leader, 20, table(1, 1, 11, 3), 25)).isEqualTo(20);
    // the follower kept epoch 1's entries past 10 and then had some of epoch 2
    assertThat(EpochTable.divergence(leader, 20, table(1, 1, 14, 2), 16)).isEqualTo(10);
    assertThat(EpochTable.divergence(leader, 20, table(1, 2), 16)).isZero();
    assertThat(EpochTable.divergence(leader, 20, new EpochTable(), 0)).isZero();
  }

  @Test
  void a_truncation_forgets_the_runs_after_it() {
    EpochTable t = table(1, 1, 11, 3);
    t.truncateAfter(10);
    assertThat(t.epochAt(10)).isEqualTo(1);
    t.appended(11, 4);
    assertThat(t.epochAt(12)).isEqualTo(4);
    assertThat(t.epochAt(0)).isZero();
  }
}
