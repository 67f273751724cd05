package io.inlet.cluster.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.cluster.HostPort;
import org.junit.jupiter.api.Test;

class MetadataPeerTest {

  @Test
  void entries_parse_with_or_without_a_port() {
    assertThat(MetadataPeer.parseList("1@10.0.0.1:7000, 2@node-2,3@[::1]", 6572))
        .containsExactly(
            new MetadataPeer(1, new HostPort("10.0.0.1", 7000)),
            new MetadataPeer(2, new HostPort("node-2", 6572)),
            new MetadataPeer(3, new HostPort("::1", 6572)));
  }

  @Test
  void bad_entries_and_duplicates_are_refused_with_the_reason() {
    assertThatThrownBy(() -> MetadataPeer.parseList("10.0.0.1:7000", 6572))
        .hasMessageContaining("expected id@host:port");
    assertThatThrownBy(() -> MetadataPeer.parseList("x@h:1", 6572))
        .hasMessageContaining("node id is not a number");
    assertThatThrownBy(() -> MetadataPeer.parseList("1@a:1,1@b:1", 6572))
        .hasMessageContaining("node id 1 is listed twice");
    assertThatThrownBy(() -> MetadataPeer.parseList("1@a:1,2@a:1", 6572))
        .hasMessageContaining("address a:1 is listed twice");
    assertThatThrownBy(() -> MetadataPeer.parseList(" , ", 6572))
        .hasMessageContaining("at least one");
  }
}
