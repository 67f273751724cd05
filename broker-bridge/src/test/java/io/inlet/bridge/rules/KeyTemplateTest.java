package io.inlet.bridge.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.ingest.InboundMessage;
import io.inlet.api.topic.TopicLevels;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyTemplateTest {
  private static final InboundMessage MESSAGE =
      new InboundMessage(
          "plant/line-3/dev-7/temp",
          new byte[0],
          1,
          false,
          "client-9",
          "alice",
          List.of(),
          null,
          "listener");

  private static String render(String template) {
    return render(template, MESSAGE);
  }

  private static String render(String template, InboundMessage message) {
    return KeyTemplate.parse(template).render(message, TopicLevels.split(message.topic()));
  }

  @Test
  void placeholders_render_the_message_s_values() {
    assertThat(render("${clientid}")).isEqualTo("client-9");
    assertThat(render("${username}")).isEqualTo("alice");
    assertThat(render("${topic}")).isEqualTo("plant/line-3/dev-7/temp");
    assertThat(render("${topic.1}")).isEqualTo("plant");
    assertThat(render("${topic.3}")).isEqualTo("dev-7");
    assertThat(render("site-${topic.2}/${clientid}")).isEqualTo("site-line-3/client-9");
    assertThat(render("fixed")).isEqualTo("fixed");
    assertThat(render("")).isEqualTo("");
    assertThat(render("cost: $5 {x}")).isEqualTo("cost: $5 {x}");
  }

  @Test
  void only_a_template_with_topic_levels_needs_the_topic_split() {
    assertThat(KeyTemplate.parse("site-${topic.2}").usesTopicLevels()).isTrue();
    assertThat(KeyTemplate.parse(null).usesTopicLevels()).isFalse();
    assertThat(KeyTemplate.parse("${topic}-${username}-x").usesTopicLevels()).isFalse();
  }

  @Test
  void the_default_is_the_client_id() {
    assertThat(KeyTemplate.parse(null).toString()).isEqualTo("${clientid}");
    assertThat(render(KeyTemplate.DEFAULT)).isEqualTo("client-9");
  }

  @Test
  void missing_values_render_empty() {
    InboundMessage anonymous =
        new InboundMessage("a/b", new byte[0], 0, false, "", null, List.of(), null, "bridge:x");
    assertThat(render("${username}", anonymous)).isEmpty();
    assertThat(render("${clientid}", anonymous)).isEmpty();
    assertThat(render("k-${topic.5}", anonymous)).isEqualTo("k-");
  }

  @Test
  void an_unknown_placeholder_is_refused_by_name() {
    assertThatThrownBy(() -> KeyTemplate.parse("dev-${deviceid}"))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("unknown placeholder ${deviceid}")
        .hasMessageContaining("${clientid}")
        .satisfies(e -> assertThat(((InvalidRuleException) e).field()).isEqualTo("key"));
    assertThatThrownBy(() -> KeyTemplate.parse("${ClientId}"))
        .hasMessageContaining("unknown placeholder ${ClientId}");
  }

  @Test
  void topic_levels_are_one_based_numbers() {
    assertThatThrownBy(() -> KeyTemplate.parse("${topic.0}"))
        .hasMessageContaining("${topic.0}")
        .hasMessageContaining("from 1");
    assertThatThrownBy(() -> KeyTemplate.parse("${topic.x}")).hasMessageContaining("${topic.x}");
    assertThatThrownBy(() -> KeyTemplate.parse("${topic.-1}")).hasMessageContaining("${topic.-1}");
  }

  @Test
  void an_unclosed_placeholder_is_refused() {
    assertThatThrownBy(() -> KeyTemplate.parse("a-${clientid"))
        .hasMessageContaining("without a closing '}'");
  }
}
