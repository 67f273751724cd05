package io.inlet.server;

import io.inlet.bridge.listener.TlsSettings;
import io.inlet.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up warnings for a node listening beyond loopback: one line per port that lets anyone
 * who reaches it in without credentials, naming the setting that would protect it. A node bound to
 * loopback gets none (only local processes reach it: the default, as Mosquitto 2 does).
 */
final class UnauthenticatedPorts {
  private UnauthenticatedPorts() {}

  /**
   * The ports as bound, -1 for one that is not listening.
   *
   * @param mqttTls -1 also when the MQTT TLS port requires client certificates (then it is
   *     authenticated whatever allow-anonymous says)
   */
  record Bound(int grpc, int exhook, int http, int mqtt, int mqttTls, int mqttWebSocket) {}

  /** The warnings, one per unauthenticated port; empty when {@code config.bind()} is loopback. */
  static List<String> warnings(ServerConfig config, Bound ports) {
    String bind = config.bind();
    List<String> out = new ArrayList<>();
    if (io.inlet.bridge.auth.MqttAuthConfigKeys.isLoopback(bind)) {
      return out;
    }
    if (ports.grpc() >= 0 && !config.network().grpc().authenticatesClients()) {
      out.add(
          "gRPC API on "
              + bind
              + ":"
              + ports.grpc()
              + " is unauthenticated: anyone who reaches it can create, read, write and delete"
              + " streams, bypassing MQTT authentication and ACLs. Protect it with"
              + " grpc-tls-client-ca-file (mutual TLS, with grpc-tls-cert-file and"
              + " grpc-tls-key-file), or bind to loopback");
    }
    if (ports.exhook() >= 0 && !config.network().exhook().authenticatesClients()) {
      out.add(
          "EMQX ExHook on "
              + bind
              + ":"
              + ports.exhook()
              + " is unauthenticated: anyone who reaches it can store messages as if EMQX had"
              + " accepted them, bypassing MQTT authentication and ACLs. Protect it with"
              + " exhook-tls-client-ca-file (mutual TLS, with exhook-tls-cert-file and"
              + " exhook-tls-key-file), or turn it off with exhook-enabled false");
    }
    if (ports.http() >= 0 && config.network().http().metricsToken() == null) {
      out.add(
          "HTTP /metrics on "
              + bind
              + ":"
              + ports.http()
              + " is unauthenticated: anyone who reaches it can read the node's metrics (stream"
              + " and subscription names, rates). Protect it with http-token-file (/health and"
              + " /ready stay open)");
    }
    if (config.mqtt().auth().allowAnonymous()) {
      mqtt(out, "MQTT", bind, ports.mqtt());
      mqtt(out, "MQTT over TLS", bind, tlsWithoutClientCertificates(config, ports.mqttTls()));
      mqtt(out, "MQTT over WebSocket", bind, ports.mqttWebSocket());
    }
    return out;
  }

  private static int tlsWithoutClientCertificates(ServerConfig config, int port) {
    TlsSettings tls = config.mqtt().listener().tlsSettings();
    boolean certificatesRequired =
        tls != null && tls.clientAuth() == TlsSettings.ClientAuth.REQUIRED;
    return certificatesRequired ? -1 : port;
  }

  private static void mqtt(List<String> out, String what, String bind, int port) {
    if (port < 0) {
      return;
    }
    out.add(
        what
            + " on "
            + bind
            + ":"
            + port
            + " accepts anonymous clients (allow-anonymous true): anyone who reaches it can"
            + " publish into the streams its rules map. Protect it with allow-anonymous false and"
            + " password-file (or tls-client-auth required on the TLS port)");
  }
}
