package io.inlet.bench.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import picocli.CommandLine.Option;

/** Where to connect and how to say CONNECT; shared by the publish and idle commands. */
final class ConnectOptions {

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Broker host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "1883",
      description = "Broker MQTT port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--mqtt-version",
      defaultValue = "3.1.1",
      description = "MQTT version: 3.1.1 or 5 (default: ${DEFAULT-VALUE}).")
  String mqttVersion;

  @Option(
      names = "--client-prefix",
      defaultValue = "bench-",
      description = "Client id prefix (default: ${DEFAULT-VALUE}).")
  String clientPrefix;

  @Option(
      names = "--keep-alive",
      defaultValue = "60",
      description = "Keep-alive in seconds (default: ${DEFAULT-VALUE}).")
  int keepAliveSeconds;

  MqttVersion version() {
    return switch (mqttVersion) {
      case "3.1.1", "4" -> MqttVersion.MQTT_3_1_1;
      case "5", "5.0" -> MqttVersion.MQTT_5;
      default ->
          throw new IllegalArgumentException(
              "--mqtt-version must be 3.1.1 or 5, found: " + mqttVersion);
    };
  }

  MqttConnectMessage connect(int index) {
    return MqttMessageBuilders.connect()
        .clientId(clientPrefix + index)
        .protocolVersion(version())
        .cleanSession(true)
        .keepAlive(keepAliveSeconds)
        .build();
  }
}
