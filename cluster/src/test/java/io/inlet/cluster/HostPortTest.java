package io.inlet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void parses_names_v4_and_bracketed_v6() {
    assertThat(HostPort.parse("node-1.plant:6571")).isEqualTo(new HostPort("node-1.plant", 6571));
    assertThat(HostPort.parse(" 10.0.0.2:7 ")).isEqualTo(new HostPort("10.0.0.2", 7));
    assertThat(HostPort.parse("[::1]:6571")).isEqualTo(new HostPort("::1", 6571));
    assertThat(new HostPort("::1", 6571)).hasToString("[::1]:6571");
  }

  @Test
  void refuses_what_is_not_host_and_port() {
    assertThatThrownBy(() -> HostPort.parse("node-1")).hasMessageContaining("expected host:port");
    assertThatThrownBy(() -> HostPort.parse("node-1:")).hasMessageContaining("expected host:port");
    assertThatThrownBy(() -> HostPort.parse("::1:6571")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> HostPort.parse("h:x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> HostPort.parse("h:70000")).hasMessageContaining("1..65535");
  }
}
