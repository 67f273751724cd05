package io.inlet.server.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import java.nio.charset.StandardCharsets;

/** MQTT logins as a device makes them, for tests of who may connect. */
public final class MqttLogins {
  private MqttLogins() {}

  /**
   * Whether an MQTT 5 CONNECT with these credentials to the listener on {@code port} (loopback) is
   * accepted; an accepted client disconnects at once.
   */
  public static boolean logsIn(int port, String username, String password) {
    Mqtt5BlockingClient device =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("login-" + username + "-" + System.nanoTime())
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildBlocking();
    try {
      device
          .connectWith()
          .simpleAuth()
          .username(username)
          .password(password.getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth()
          .send();
    } catch (Mqtt5ConnAckException refused) {
      return false;
    }
    device.disconnect();
    return true;
  }
}
