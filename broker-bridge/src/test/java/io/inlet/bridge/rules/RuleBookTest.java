package io.inlet.bridge.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.error.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RuleBookTest {
  private final MemoryRuleRepository repository = new MemoryRuleRepository();
  private final Clock clock =
      Clock.fixed(Instant.parse("2026-11-26T10:00:00.123456Z"), ZoneOffset.UTC);

  private static MappingRule rule(String name, String filter) {
    return MappingRule.builder(name).topic(filter).stream("s-" + name).build();
  }

  private RuleBook open(Optional<List<MappingRule>> config) {
    return RuleBook.open(config, repository, clock);
  }

  private static RuleBookException.Reason reason(Throwable e) {
    return ((RuleBookException) e).reason();
  }

  @Test
  void without_a_rules_section_the_built_in_catch_all_stores_everything_in_stream_mqtt() {
    RuleBook book = open(Optional.empty());
    MappingRule match = book.current().firstMatch("a/b");
    assertThat(match.name()).isEqualTo("default");
    assertThat(match.stream()).isEqualTo("mqtt");
    assertThat(match.autoCreateStream()).isTrue();
    assertThat(match.payloadMode()).isEqualTo(PayloadMode.RAW);
    assertThat(match.keyTemplate().toString()).isEqualTo("${clientid}");
    assertThat(book.current().entries().get(0).source()).isEqualTo(RuleSource.BUILT_IN);
  }

  @Test
  void an_empty_rules_section_means_no_rules() {
    RuleBook book = open(Optional.of(List.of()));
    assertThat(book.current().entries()).isEmpty();
    assertThat(book.current().firstMatch("a/b")).isNull();
  }

  @Test
  void runtime_rules_go_before_the_catch_all_and_persist() {
    RuleBook book = open(Optional.empty());
    RuleBook.Added added = book.add(rule("temps", "sensors/+/temp"));
    assertThat(added.shadowedBy()).isEmpty();
    assertThat(added.entry().createdAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00.123Z"));
    assertThat(book.current().firstMatch("sensors/x/temp").name()).isEqualTo("temps");
    assertThat(book.current().firstMatch("other").name()).isEqualTo("default");

    RuleBook reopened = open(Optional.empty());
    assertThat(reopened.current().entries())
        .extracting(e -> e.rule().name())
        .containsExactly("temps", "default");
    assertThat(reopened.current().get("temps").orElseThrow().rule())
        .isEqualTo(rule("temps", "sensors/+/temp"));
  }

  @Test
  void runtime_rules_at_equal_positions_keep_the_order_they_were_added_in_across_restarts() {
    RuleBook book = open(Optional.of(List.of()));
    book.add(rule("b", "x/#"));
    book.add(rule("a", "x/#"));
    book.delete("b");
    book.add(rule("c", "x/y"));
    assertThat(open(Optional.of(List.of())).current().entries())
        .extracting(e -> e.rule().name())
        .containsExactly("a", "c");
  }

  @Test
  void adding_a_rule_behind_a_covering_one_reports_it() {
    RuleBook book = open(Optional.of(List.of(rule("all", "#"))));
    RuleBook.Added added = book.add(rule("late", "a/b"));
    assertThat(added.shadowedBy()).map(e -> e.rule().name()).contains("all");
    RuleBook.Added early = book.add(rule("early", "a/b").toBuilder().position(1).build());
    assertThat(early.shadowedBy()).isEmpty();
  }

  @Test
  void names_are_unique_across_config_built_in_and_runtime_rules() {
    RuleBook book = open(Optional.empty());
    book.add(rule("r1", "a"));
    assertThatThrownBy(() -> book.add(rule("r1", "b")))
        .hasMessage("rule \"r1\" already exists")
        .satisfies(e -> assertThat(reason(e)).isEqualTo(RuleBookException.Reason.EXISTS));
    assertThatThrownBy(() -> book.add(rule("default", "b")))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(RuleBookException.Reason.EXISTS));
    assertThatThrownBy(() -> open(Optional.of(List.of(rule("x", "a"), rule("x", "b")))))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("appears twice");
  }

  @Test
  void config_and_built_in_rules_cannot_be_deleted_at_runtime() {
    RuleBook builtIn = open(Optional.empty());
    assertThatThrownBy(() -> builtIn.delete("default"))
        .hasMessageContaining("rules: []")
        .satisfies(e -> assertThat(reason(e)).isEqualTo(RuleBookException.Reason.NOT_RUNTIME));
    RuleBook configured = open(Optional.of(List.of(rule("c", "a"))));
    assertThatThrownBy(() -> configured.delete("c"))
        .hasMessageContaining("config file")
        .satisfies(e -> assertThat(reason(e)).isEqualTo(RuleBookException.Reason.NOT_RUNTIME));
    assertThatThrownBy(() -> configured.delete("nope"))
        .hasMessage("rule \"nope\" not found")
        .satisfies(e -> assertThat(reason(e)).isEqualTo(RuleBookException.Reason.NOT_FOUND));
  }

  @Test
  void a_saved_rule_whose_name_the_config_now_takes_is_ignored_and_can_be_deleted() {
    open(Optional.of(List.of())).add(rule("x", "saved/topic"));
    RuleBook book = open(Optional.of(List.of(rule("x", "config/topic"))));
    assertThat(book.current().entries()).hasSize(1);
    assertThat(book.current().firstMatch("config/topic").name()).isEqualTo("x");
    book.delete("x");
    assertThat(repository.saved).isEmpty();
    assertThat(book.current().firstMatch("config/topic").name()).isEqualTo("x");
  }

  @Test
  void a_failed_save_changes_nothing() {
    RuleBook book = open(Optional.of(List.of()));
    book.add(rule("kept", "a"));
    repository.failing = true;
    assertThatThrownBy(() -> book.add(rule("new", "b")))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> book.delete("kept")).isInstanceOf(StoreUnavailableException.class);
    assertThat(book.current().entries()).extracting(e -> e.rule().name()).containsExactly("kept");
  }

  @Test
  void reload_puts_in_effect_what_another_book_on_the_same_repository_changed() {
    RuleBook here = open(Optional.empty());
    RuleBook there = open(Optional.empty());
    there.add(rule("temps", "sensors/+/temp"));
    assertThat(here.current().firstMatch("sensors/x/temp").name()).isEqualTo("default");

    here.reload();
    assertThat(here.current().firstMatch("sensors/x/temp").name()).isEqualTo("temps");
    RuleBook.Added next = here.add(rule("hums", "sensors/+/hum"));
    assertThat(next.entry().sequence())
        .as("sequences continue after the reloaded rules")
        .isGreaterThan(here.current().get("temps").orElseThrow().sequence());

    there.delete("temps");
    repository.failing = true;
    assertThatThrownBy(here::reload).isInstanceOf(StoreUnavailableException.class);
    assertThat(here.current().firstMatch("sensors/x/temp").name())
        .as("a failed reload keeps the rules in effect")
        .isEqualTo("temps");
    repository.failing = false;
    here.reload();
    assertThat(here.current().firstMatch("sensors/x/temp").name()).isEqualTo("default");
    assertThat(here.current().firstMatch("sensors/x/hum").name()).isEqualTo("hums");
  }
}
