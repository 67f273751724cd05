package io.inlet.bridge.listener;

import io.inlet.api.config.ConfigException;
import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.config.ValueParsers;
import io.inlet.bridge.listener.MqttListenerSettings.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The MQTT listener's settings: its endpoints (TCP, TLS, WebSocket), TLS files and the protocol
 * limits; {@link #settings} builds {@link MqttListenerSettings} from them. (Who may connect and
 * publish is in {@link io.inlet.bridge.auth.MqttAuthConfigKeys}.)
 */
public final class MqttListenerConfigKeys {
  private MqttListenerConfigKeys() {}

  public static final Option<Integer> MQTT_PORT =
      Option.of(
          "mqtt-port",
          "port",
          "",
          "1883",
          "Port of the MQTT listener (MQTT 3.1, 3.1.1, 5 over TCP); 0 picks a free port, off"
              + " disables it. Left at the default and already in use (another broker?), the"
              + " listener is skipped with a warning; set explicitly, a port in use is an error.",
          ValueParsers.portOrOff());

  public static final Option<Integer> MQTTS_PORT =
      Option.of(
          "mqtts-port",
          "port",
          "",
          "8883",
          "Port of MQTT over TLS; listens only when tls-cert-file and tls-key-file are set;"
              + " off disables it.",
          ValueParsers.portOrOff());

  public static final Option<Integer> WS_PORT =
      Option.of(
          "ws-port",
          "port",
          "",
          "8083",
          "Port of MQTT over WebSocket (path /mqtt, subprotocol mqtt); off disables it. Left at"
              + " the default and already in use, it is skipped with a warning.",
          ValueParsers.portOrOff());

  public static final Option<Optional<Path>> TLS_CERT_FILE =
      Option.of(
          "tls-cert-file",
          "path",
          "",
          "<none>",
          "PEM certificate chain of the MQTT TLS listener (with tls-key-file).",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Path>> TLS_KEY_FILE =
      Option.of(
          "tls-key-file",
          "path",
          "",
          "<none>",
          "PEM private key (PKCS#8, unencrypted) of the MQTT TLS listener.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Path>> TLS_CLIENT_CA_FILE =
      Option.of(
          "tls-client-ca-file",
          "path",
          "",
          "<none>",
          "PEM CA certificates that MQTT client certificates must chain to (for tls-client-auth).",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<String> TLS_CLIENT_AUTH =
      Option.of(
          "tls-client-auth",
          "mode",
          "",
          "none",
          "MQTT TLS client certificates: none, optional or required. A verified certificate"
              + " authenticates the client as the user named by its CN (unless it sends a"
              + " password).",
          ValueParsers.oneOf(
              new java.util.LinkedHashSet<>(List.of("none", "optional", "required"))));

  public static final Option<Integer> MQTT_MAX_PACKET_SIZE =
      Option.of(
          "mqtt-max-packet-size",
          "size",
          "bytes",
          "1MiB",
          "Largest MQTT packet accepted; a larger one closes the connection (MQTT 5: DISCONNECT"
              + " 0x95). Advertised to MQTT 5 clients.",
          ValueParsers.byteSize(64, 268_435_455));

  public static final Option<Integer> MQTT_RECEIVE_MAXIMUM =
      Option.of(
          "mqtt-receive-maximum",
          "integer",
          "",
          "32",
          "QoS 1/2 publishes a client may have unacknowledged. Advertised to MQTT 5 clients (one"
              + " exceeding it is disconnected with 0x93); reading from any client pauses while"
              + " this many of its publishes wait for the store.",
          ValueParsers.intRange(1, 65535));

  public static final Option<Duration> MQTT_MAX_SESSION_EXPIRY =
      Option.of(
          "mqtt-max-session-expiry",
          "duration",
          "ms, s, m, h, d",
          "2h",
          "Longest a persistent MQTT session (QoS 2 state) is kept after its client disconnects;"
              + " also the expiry of MQTT 3 clean-session=false sessions. Sessions live in memory:"
              + " a restart ends them.",
          ValueParsers.duration(Duration.ZERO));

  public static final Option<Integer> MQTT_TOPIC_ALIAS_MAXIMUM =
      Option.of(
          "mqtt-topic-alias-maximum",
          "integer",
          "",
          "10",
          "Topic aliases an MQTT 5 client may use per connection (0: none).",
          ValueParsers.intRange(0, 65535));

  public static final Option<Integer> MQTT_KEEPALIVE_MAX =
      Option.of(
          "mqtt-keepalive-max",
          "integer",
          "seconds",
          "65535",
          "Longest keep-alive a client may use (also applied to clients asking for 0). A client"
              + " silent for 1.5 times its keep-alive is disconnected and its will fires.",
          ValueParsers.intRange(1, 65535));

  public static final Option<String> MQTT_UNMATCHED_PUBLISH =
      Option.of(
          "mqtt-unmatched-publish",
          "policy",
          "",
          "drop",
          "MQTT 3 publish that matches no rule or that the rule rejects: drop (acknowledge and"
              + " count it) or disconnect. MQTT 5 clients get reason code 0x10 or 0x99.",
          ValueParsers.oneOf(new java.util.LinkedHashSet<>(List.of("drop", "disconnect"))));

  public static final Option<String> MQTT_DENIED_PUBLISH =
      Option.of(
          "mqtt-denied-publish",
          "policy",
          "",
          "drop",
          "MQTT 3 publish the ACL denies: drop (acknowledge and count it) or disconnect. MQTT 5"
              + " clients get reason code 0x87.",
          ValueParsers.oneOf(new java.util.LinkedHashSet<>(List.of("drop", "disconnect"))));

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(
          MQTT_PORT,
          MQTTS_PORT,
          WS_PORT,
          TLS_CERT_FILE,
          TLS_KEY_FILE,
          TLS_CLIENT_CA_FILE,
          TLS_CLIENT_AUTH,
          MQTT_MAX_PACKET_SIZE,
          MQTT_RECEIVE_MAXIMUM,
          MQTT_MAX_SESSION_EXPIRY,
          MQTT_TOPIC_ALIAS_MAXIMUM,
          MQTT_KEEPALIVE_MAX,
          MQTT_UNMATCHED_PUBLISH,
          MQTT_DENIED_PUBLISH);

  /**
   * The listener's settings, listening on {@code bind}.
   *
   * @throws ConfigException for settings that do not go together
   */
  public static MqttListenerSettings settings(OptionValues values, String bind) {
    TlsSettings tls = tls(values);
    if (tls == null && values.isSet(MQTTS_PORT) && values.get(MQTTS_PORT) >= 0) {
      throw new ConfigException("mqtts-port needs tls-cert-file and tls-key-file");
    }
    Endpoint tlsEndpoint = tls == null ? null : endpoint(values, MQTTS_PORT);
    if (tlsEndpoint != null) {
      // TLS was configured on purpose: its port is never silently skipped.
      tlsEndpoint = new Endpoint(tlsEndpoint.port(), false, tlsEndpoint.setting());
    }
    return new MqttListenerSettings(
        bind,
        endpoint(values, MQTT_PORT),
        tlsEndpoint,
        endpoint(values, WS_PORT),
        "/mqtt",
        tls,
        values.get(MQTT_MAX_PACKET_SIZE),
        values.get(MQTT_RECEIVE_MAXIMUM),
        Math.min(0xFFFF_FFFFL, values.get(MQTT_MAX_SESSION_EXPIRY).toSeconds()),
        values.get(MQTT_TOPIC_ALIAS_MAXIMUM),
        values.get(MQTT_KEEPALIVE_MAX),
        policy(values.get(MQTT_UNMATCHED_PUBLISH)),
        policy(values.get(MQTT_DENIED_PUBLISH)),
        Duration.ofSeconds(10));
  }

  private static TlsSettings tls(OptionValues values) {
    Optional<Path> cert = values.get(TLS_CERT_FILE);
    Optional<Path> key = values.get(TLS_KEY_FILE);
    Optional<Path> clientCa = values.get(TLS_CLIENT_CA_FILE);
    String clientAuthText = values.get(TLS_CLIENT_AUTH);
    if (cert.isPresent() != key.isPresent()) {
      throw new ConfigException("tls-cert-file and tls-key-file must be set together");
    }
    TlsSettings.ClientAuth clientAuth =
        TlsSettings.ClientAuth.valueOf(clientAuthText.toUpperCase(Locale.ROOT));
    if (clientAuth != TlsSettings.ClientAuth.NONE && clientCa.isEmpty()) {
      throw new ConfigException("tls-client-auth " + clientAuthText + " needs tls-client-ca-file");
    }
    if (clientCa.isPresent() && cert.isEmpty()) {
      throw new ConfigException("tls-client-ca-file needs tls-cert-file and tls-key-file");
    }
    return cert.map(c -> new TlsSettings(c, key.get(), clientCa.orElse(null), clientAuth))
        .orElse(null);
  }

  /** The endpoint of a port option, or null when it is off. */
  private static Endpoint endpoint(OptionValues values, Option<Integer> option) {
    int port = values.get(option);
    if (port < 0) {
      return null;
    }
    boolean leftAtDefault = !values.isSet(option);
    return new Endpoint(port, leftAtDefault && port != 0, option.key());
  }

  private static RefusedPublishPolicy policy(String text) {
    return RefusedPublishPolicy.valueOf(text.toUpperCase(Locale.ROOT));
  }
}
