package io.inlet.bridge.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.bridge.listener.MqttListenerSettings.Endpoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A port in use: skipped with a warning when left at its default, an error when chosen. */
class MqttListenerBindIT {
  @Test
  void an_optional_endpoint_whose_port_is_taken_is_skipped() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        TestListener server =
            TestListener.start(
                MqttListenerSettings.forTests()
                    .withEndpoints(
                        new Endpoint(taken.getLocalPort(), true, "mqtt-port"),
                        null,
                        new Endpoint(0, false, "ws-port")),
                TestListener.anonymous(),
                new TestIngestor())) {
      assertThat(server.port()).isEqualTo(-1);
      assertThat(server.listener().webSocketPort()).isPositive();
    }
  }

  @Test
  void a_chosen_endpoint_whose_port_is_taken_fails_naming_the_setting() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(
              () ->
                  TestListener.start(
                          MqttListenerSettings.forTests()
                              .withEndpoints(null, null, new Endpoint(port, false, "ws-port")),
                          TestListener.anonymous(),
                          new TestIngestor())
                      .close())
          .isInstanceOfSatisfying(
              ListenerBindException.class,
              e -> {
                assertThat(e.setting()).isEqualTo("ws-port");
                assertThat(e.port()).isEqualTo(port);
                assertThat(e)
                    .hasMessage(
                        "ws-port "
                            + port
                            + " is already in use; choose another with --ws-port (0 picks a free"
                            + " port)");
              });
    }
  }
}
