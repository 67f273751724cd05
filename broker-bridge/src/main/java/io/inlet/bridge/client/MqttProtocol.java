package io.inlet.bridge.client;

/** The MQTT version a bridge speaks to its upstream broker. */
public enum MqttProtocol {
  V3_1_1("3.1.1"),
  V5("5");

  private final String configName;

  MqttProtocol(String configName) {
    this.configName = configName;
  }

  /** As written in the config file: {@code 3.1.1} or {@code 5}. */
  public String configName() {
    return configName;
  }

  /**
   * @throws InvalidBridgeException (field {@code mqtt-version}) for anything else
   */
  public static MqttProtocol parse(String text) {
    String value = text == null ? "" : text.trim();
    return switch (value) {
      case "3.1.1", "3", "4", "v3.1.1" -> V3_1_1;
      case "5", "5.0", "v5" -> V5;
      default ->
          throw new InvalidBridgeException(
              "mqtt-version", "mqtt-version must be 3.1.1 or 5, found: " + value);
    };
  }
}
