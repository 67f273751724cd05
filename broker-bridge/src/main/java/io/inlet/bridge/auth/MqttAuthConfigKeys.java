package io.inlet.bridge.auth;

import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.config.ValueParsers;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who may connect to the MQTT listener and publish where: the password file, anonymous access, the
 * ACL file and the limit on failed logins; {@link #settings} builds {@link Authenticator.Settings}
 * from them.
 */
public final class MqttAuthConfigKeys {
  private MqttAuthConfigKeys() {}

  public static final Option<Optional<Path>> PASSWORD_FILE =
      Option.of(
          "password-file",
          "path",
          "",
          "<none>",
          "MQTT users and salted password hashes; manage it with `inlet user add|delete|list`."
              + " Re-read within a second of a change.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Optional<Boolean>> ALLOW_ANONYMOUS =
      Option.of(
          "allow-anonymous",
          "boolean",
          "",
          "<true when bind is a loopback address, else false>",
          "Accept MQTT clients without verified credentials. Off by default when listening"
              + " beyond loopback, as Mosquitto 2 does.",
          text -> Optional.of(ValueParsers.bool().apply(text)));

  public static final Option<Optional<Path>> ACL_FILE =
      Option.of(
          "acl-file",
          "path",
          "",
          "<none: every client may publish everywhere>",
          "Who may publish where (Mosquitto-style `user`, `topic`, `pattern` lines; see"
              + " docs/mqtt.md). Re-read within a second of a change.",
          text -> Optional.of(ValueParsers.path().apply(text)));

  public static final Option<Integer> MQTT_LOGIN_FAILURE_BURST =
      Option.of(
          "mqtt-login-failure-burst",
          "integer",
          "",
          Integer.toString(LoginThrottle.Settings.DEFAULT.burst()),
          "Failed MQTT logins (wrong password, unknown user, refused client certificate) a client"
              + " address may have in a row; past them its CONNECTs are refused unchecked (MQTT 5:"
              + " 0x8A Banned, MQTT 3: 0x05) until it earns another attempt. 0 turns the limit"
              + " off.",
          ValueParsers.intRange(0, 1_000_000));

  public static final Option<Duration> MQTT_LOGIN_FAILURE_INTERVAL =
      Option.of(
          "mqtt-login-failure-interval",
          "duration",
          "ms, s, m, h, d",
          ValueParsers.format(LoginThrottle.Settings.DEFAULT.interval()),
          "After its burst of failed logins, an address earns one more attempt per interval.",
          ValueParsers.duration(Duration.ofMillis(1)));

  public static final Option<Integer> MQTT_LOGIN_FAILURE_ADDRESSES =
      Option.of(
          "mqtt-login-failure-addresses",
          "integer",
          "",
          Integer.toString(LoginThrottle.Settings.DEFAULT.maxAddresses()),
          "Client addresses whose failed logins are remembered at most (bounds the memory; beyond"
              + " it the address that failed least recently is forgotten).",
          ValueParsers.intRange(1, 10_000_000));

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(
          PASSWORD_FILE,
          ALLOW_ANONYMOUS,
          ACL_FILE,
          MQTT_LOGIN_FAILURE_BURST,
          MQTT_LOGIN_FAILURE_INTERVAL,
          MQTT_LOGIN_FAILURE_ADDRESSES);

  /** The authenticator's settings for a listener bound to {@code bind}. */
  public static Authenticator.Settings settings(OptionValues values, String bind) {
    boolean anonymous = values.get(ALLOW_ANONYMOUS).orElseGet(() -> isLoopback(bind));
    return new Authenticator.Settings(
        values.get(PASSWORD_FILE).orElse(null),
        values.get(ACL_FILE).orElse(null),
        anonymous,
        new LoginThrottle.Settings(
            values.get(MQTT_LOGIN_FAILURE_BURST),
            values.get(MQTT_LOGIN_FAILURE_INTERVAL),
            values.get(MQTT_LOGIN_FAILURE_ADDRESSES)));
  }

  /** Whether {@code bind} only accepts connections from this machine. */
  public static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }
}
