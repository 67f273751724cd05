package io.inlet.bridge.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetTest {

  private static RuleEntry entry(
      String name, String filter, int position, RuleSource source, long seq) {
    MappingRule rule =
        MappingRule.builder(name).topic(filter).stream("s-" + name).position(position).build();
    return new RuleEntry(rule, source, seq, null);
  }

  @Test
  void rules_are_ordered_by_position_then_config_before_runtime_then_sequence() {
    RuleSet set =
        RuleSet.of(
            List.of(
                entry("r-late", "a", 100, RuleSource.RUNTIME, 7),
                entry("c-second", "b", 100, RuleSource.CONFIG, 1),
                entry("r-first", "c", 5, RuleSource.RUNTIME, 9),
                entry("c-first", "d", 100, RuleSource.CONFIG, 0),
                entry("r-early", "e", 100, RuleSource.RUNTIME, 2),
                entry("default", "#", 1_000_000, RuleSource.BUILT_IN, 0)));
    assertThat(set.entries())
        .extracting(e -> e.rule().name())
        .containsExactly("r-first", "c-first", "c-second", "r-early", "r-late", "default");
  }

  @Test
  void the_first_matching_rule_wins() {
    RuleSet set =
        RuleSet.of(
            List.of(
                entry("all", "#", 50, RuleSource.CONFIG, 0),
                entry("temps", "sensors/+/temp", 10, RuleSource.CONFIG, 1),
                entry("sensors", "sensors/#", 20, RuleSource.RUNTIME, 0)));
    assertThat(set.firstMatch("sensors/d1/temp").name()).isEqualTo("temps");
    assertThat(set.firstMatch("sensors/d1/hum").name()).isEqualTo("sensors");
    assertThat(set.firstMatch("other").name()).isEqualTo("all");
    assertThat(set.firstMatch("$SYS/x")).isNull();
    assertThat(RuleSet.empty().firstMatch("a")).isNull();
  }

  @Test
  void a_topic_asked_again_gets_the_same_rule_and_topics_past_the_cache_still_match() {
    RuleSet set =
        RuleSet.of(
            List.of(
                entry("temps", "sensors/+/temp", 10, RuleSource.CONFIG, 0),
                entry("sensors", "sensors/#", 20, RuleSource.CONFIG, 1)));
    for (int round = 0; round < 2; round++) {
      assertThat(set.firstMatch("sensors/d1/temp").name()).isEqualTo("temps");
      assertThat(set.firstMatch("sensors/d1/hum").name()).isEqualTo("sensors");
      assertThat(set.firstMatch("other/d1")).isNull();
    }
    for (int i = 0; i < RuleSet.MAX_CACHED_TOPICS + 10; i++) {
      String name = i % 2 == 0 ? "temps" : "sensors";
      String topic = "sensors/d" + i + (i % 2 == 0 ? "/temp" : "/hum");
      assertThat(set.firstMatch(topic).name()).as(topic).isEqualTo(name);
      assertThat(set.firstMatch(topic).name()).as(topic).isEqualTo(name);
    }
    assertThat(set.firstMatch("other/d2")).isNull();
  }

  @Test
  void a_rule_behind_a_covering_rule_is_reported_as_shadowed() {
    RuleEntry all = entry("all", "a/#", 10, RuleSource.CONFIG, 0);
    RuleEntry narrow = entry("narrow", "a/b", 100, RuleSource.RUNTIME, 0);
    RuleEntry before = entry("before", "a/c", 5, RuleSource.RUNTIME, 1);
    RuleSet set = RuleSet.of(List.of(all, narrow, before));
    assertThat(set.shadowing(narrow)).contains(all);
    assertThat(set.shadowing(before)).isEmpty();
    assertThat(set.shadowing(all)).isEmpty();
  }
}
