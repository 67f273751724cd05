package io.inlet.cluster.replication;

import static io.inlet.testing.HistoryChecker.Event.acked;
import static io.inlet.testing.HistoryChecker.Event.invoked;
import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.testing.HistoryChecker;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryCheckerTest {
  @Test
  void a_log_holding_every_acknowledged_id_once_in_order_passes() {
    assertThat(
            HistoryChecker.violations(
                List.of(invoked("a-1"), invoked("b-1"), acked("b-1"), acked("a-1"), invoked("a-2")),
                List.of("a-1", "b-1", "a-2")))
        .isEmpty();
  }

  @Test
  void loss_duplication_and_reordering_are_each_reported() {
    assertThat(HistoryChecker.violations(List.of(invoked("a-1"), acked("a-1")), List.of()))
        .containsExactly("lost acknowledged a-1");
    assertThat(HistoryChecker.violations(List.of(), List.of("a-1", "a-1")))
        .anyMatch(p -> p.startsWith("duplicate a-1"));
    assertThat(
            HistoryChecker.violations(
                List.of(invoked("a-1"), acked("a-1"), invoked("b-1"), acked("b-1")),
                List.of("b-1", "a-1")))
        .containsExactly(
            "b-1 (at 0) was sent after a-1 (at 1) was acknowledged, yet sits before it");
    assertThat(HistoryChecker.violations(List.of(), List.of("a-2", "a-1")))
        .containsExactly("producer a: 1 after 2");
  }
}
