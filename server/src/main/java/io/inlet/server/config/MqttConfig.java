package io.inlet.server.config;

import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.auth.LoginThrottle;
import io.inlet.bridge.listener.MqttListenerSettings;
import io.inlet.bridge.listener.MqttListenerSettings.Endpoint;
import io.inlet.bridge.listener.RefusedPublishPolicy;
import io.inlet.bridge.listener.TlsSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The MQTT listener's settings, built from the {@code mqtt-*}, {@code tls-*}, {@code ws-port},
 * {@code password-file}, {@code allow-anonymous}, {@code acl-file} and {@code mqtt-login-failure-*}
 * options.
 *
 * @param listener endpoints and protocol limits
 * @param auth password file, ACL file, anonymous access, the limit on failed logins
 */
public record MqttConfig(MqttListenerSettings listener, Authenticator.Settings auth) {

  /** Whether any endpoint is configured. */
  public boolean enabled() {
    return listener.tcp() != null || listener.tls() != null || listener.webSocket() != null;
  }

  /** The same with every port replaced; -1 turns an endpoint off, 0 picks a free port. */
  public MqttConfig withPorts(int tcp, int tls, int webSocket) {
    return new MqttConfig(
        listener.withEndpoints(
            endpoint(tcp, "mqtt-port"),
            listener.tlsSettings() == null ? null : endpoint(tls, "mqtts-port"),
            endpoint(webSocket, "ws-port")),
        auth);
  }

  public MqttConfig withAuth(Authenticator.Settings auth) {
    return new MqttConfig(listener, auth);
  }

  public MqttConfig withListener(MqttListenerSettings listener) {
    return new MqttConfig(listener, auth);
  }

  private static Endpoint endpoint(int port, String setting) {
    return port < 0 ? null : new Endpoint(port, false, setting);
  }

  /**
   * Builds the MQTT settings from setting values by key (absent keys take their defaults).
   *
   * @param get parses a setting (its value or its default)
   * @throws ConfigException for settings that do not go together
   */
  static MqttConfig from(Map<String, String> values, String bind, Getter get) {
    Optional<Path> cert = get.get(InletOptions.TLS_CERT_FILE);
    Optional<Path> key = get.get(InletOptions.TLS_KEY_FILE);
    Optional<Path> clientCa = get.get(InletOptions.TLS_CLIENT_CA_FILE);
    String clientAuthText = get.get(InletOptions.TLS_CLIENT_AUTH);
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
    TlsSettings tls =
        cert.map(c -> new TlsSettings(c, key.get(), clientCa.orElse(null), clientAuth))
            .orElse(null);
    if (tls == null
        && values.containsKey(InletOptions.MQTTS_PORT.key())
        && get.get(InletOptions.MQTTS_PORT) >= 0) {
      throw new ConfigException("mqtts-port needs tls-cert-file and tls-key-file");
    }

    Function<Option<Integer>, Endpoint> endpoint =
        option -> {
          int port = get.get(option);
          if (port < 0) {
            return null;
          }
          boolean leftAtDefault =
              !values.containsKey(option.key()) && port == Integer.parseInt(option.defaultText());
          return new Endpoint(port, leftAtDefault && port != 0, option.key());
        };
    Endpoint tcp = endpoint.apply(InletOptions.MQTT_PORT);
    Endpoint tlsEndpoint = tls == null ? null : endpoint.apply(InletOptions.MQTTS_PORT);
    if (tlsEndpoint != null) {
      // TLS was configured on purpose: its port is never silently skipped.
      tlsEndpoint = new Endpoint(tlsEndpoint.port(), false, tlsEndpoint.setting());
    }
    Endpoint webSocket = endpoint.apply(InletOptions.WS_PORT);

    MqttListenerSettings listener =
        new MqttListenerSettings(
            bind,
            tcp,
            tlsEndpoint,
            webSocket,
            "/mqtt",
            tls,
            get.get(InletOptions.MQTT_MAX_PACKET_SIZE),
            get.get(InletOptions.MQTT_RECEIVE_MAXIMUM),
            Math.min(0xFFFF_FFFFL, get.get(InletOptions.MQTT_MAX_SESSION_EXPIRY).toSeconds()),
            get.get(InletOptions.MQTT_TOPIC_ALIAS_MAXIMUM),
            get.get(InletOptions.MQTT_KEEPALIVE_MAX),
            policy(get.get(InletOptions.MQTT_UNMATCHED_PUBLISH)),
            policy(get.get(InletOptions.MQTT_DENIED_PUBLISH)),
            Duration.ofSeconds(10));
    boolean anonymous = get.get(InletOptions.ALLOW_ANONYMOUS).orElseGet(() -> isLoopback(bind));
    Authenticator.Settings auth =
        new Authenticator.Settings(
            get.get(InletOptions.PASSWORD_FILE).orElse(null),
            get.get(InletOptions.ACL_FILE).orElse(null),
            anonymous,
            new LoginThrottle.Settings(
                get.get(InletOptions.MQTT_LOGIN_FAILURE_BURST),
                get.get(InletOptions.MQTT_LOGIN_FAILURE_INTERVAL),
                get.get(InletOptions.MQTT_LOGIN_FAILURE_ADDRESSES)));
    return new MqttConfig(listener, auth);
  }

  /** Parses a setting from the collected values, or its default. */
  interface Getter {
    <T> T get(Option<T> option);
  }

  private static RefusedPublishPolicy policy(String text) {
    return RefusedPublishPolicy.valueOf(text.toUpperCase(Locale.ROOT));
  }

  /** Whether {@code bind} only accepts connections from this machine. */
  static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }
}
