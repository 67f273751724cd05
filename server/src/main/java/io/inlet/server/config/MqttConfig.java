package io.inlet.server.config;

import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.listener.MqttListenerSettings;

/**
 * The MQTT listener's settings ({@link io.inlet.bridge.listener.MqttListenerConfigKeys} and {@link
 * io.inlet.bridge.auth.MqttAuthConfigKeys}).
 *
 * @param listener endpoints and protocol limits
 * @param auth password file, ACL file, anonymous access, the limit on failed logins
 */
public record MqttConfig(MqttListenerSettings listener, Authenticator.Settings auth) {

  /** Whether any endpoint is configured. */
  public boolean enabled() {
    return listener.tcp() != null || listener.tls() != null || listener.webSocket() != null;
  }
}
