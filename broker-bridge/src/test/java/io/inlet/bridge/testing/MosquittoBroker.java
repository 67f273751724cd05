package io.inlet.bridge.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.inlet.testing.RequiredServices;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The real Mosquitto that bridge ITs (here and, through the test jar, in server) run against:
 * {@code $INLET_IT_MOSQUITTO} (host:port), else 127.0.0.1:1883. Unreachable: the test is skipped
 * with a message, or fails in CI ({@link RequiredServices}).
 */
public final class MosquittoBroker {
  public final String host;
  public final int port;

  private MosquittoBroker(String host, int port) {
    this.host = host;
    this.port = port;
  }

  public static MosquittoBroker require() {
    String address = System.getenv().getOrDefault("INLET_IT_MOSQUITTO", "127.0.0.1:1883");
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
    } catch (IOException e) {
      String message =
          "Mosquitto is not reachable at "
              + address
              + " ("
              + e.getMessage()
              + "); start it (mosquitto -d) or set INLET_IT_MOSQUITTO=host:port";
      throw RequiredServices.missing(message);
    }
    return new MosquittoBroker(host, port);
  }

  /** A connected MQTT 5 client for publishing; disconnect it when done. */
  public Mqtt5BlockingClient publisher() {
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("inlet-it-pub-" + System.nanoTime())
            .serverHost(host)
            .serverPort(port)
            .buildBlocking();
    client.connect();
    return client;
  }

  /** Publishes each payload at QoS 1 and waits for every PUBACK. */
  public void publish(String topic, List<byte[]> payloads) {
    Mqtt5BlockingClient publisher = publisher();
    try {
      for (byte[] payload : payloads) {
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
      }
    } finally {
      publisher.disconnect();
    }
  }

  /** Publishes each text (UTF-8) at QoS 1 and waits for every PUBACK. */
  public void publishText(String topic, List<String> payloads) {
    publish(topic, payloads.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList());
  }

  /** Ends the persistent session a test left under {@code clientId}. */
  public void forgetSession(String clientId) {
    Mqtt5BlockingClient client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(clientId)
            .serverHost(host)
            .serverPort(port)
            .buildBlocking();
    client.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
    client.disconnect();
  }
}
