package io.inlet.bridge.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One upstream broker to bridge from, validated. Build with {@link #builder(String)}.
 *
 * @param name the bridge's name, for status and logs; messages carry source {@code bridge:NAME}
 * @param host the broker's host
 * @param port the broker's port
 * @param tls TLS settings, or null for plain TCP
 * @param username the user name, or null
 * @param password the password, or null
 * @param protocol MQTT 3.1.1 or 5
 * @param clientId the client id; fixed, since the broker keeps the persistent session under it.
 *     Null means {@code inlet-<node id>-<name>}, chosen by {@link BridgeManager}
 * @param subscriptions the filters to subscribe to (QoS 1), shared ones already prefixed with
 *     {@code $share/GROUP/}
 * @param sessionExpiry how long the broker keeps the session (and queues messages) while Inlet is
 *     away; MQTT 5 only (a 3.1.1 broker keeps a persistent session as long as it is configured to)
 * @param keepAlive the MQTT keep-alive
 * @param reconnectMin the first delay before reconnecting; doubled after each failure
 * @param reconnectMax the longest delay between attempts
 */
public record BridgeSpec(
    String name,
    String host,
    int port,
    UpstreamTls tls,
    String username,
    String password,
    MqttProtocol protocol,
    String clientId,
    List<String> subscriptions,
    Duration sessionExpiry,
    Duration keepAlive,
    Duration reconnectMin,
    Duration reconnectMax) {

  public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofDays(7);
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);
  public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofSeconds(1);
  public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofMinutes(2);

  /** MQTT 5's largest session expiry other than "never" (0xFFFFFFFF), in seconds. */
  static final long MAX_SESSION_EXPIRY_SECONDS = 0xFFFFFFFEL;

  public BridgeSpec {
    subscriptions = List.copyOf(subscriptions);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Collects a bridge's settings; {@link #build()} validates them. */
  public static final class Builder {
    private final String name;
    private String host;
    private Integer port;
    private UpstreamTls tls;
    private String username;
    private String password;
    private MqttProtocol protocol = MqttProtocol.V5;
    private String clientId;
    private List<String> topics = List.of();
    private String sharedGroup;
    private Duration sessionExpiry = DEFAULT_SESSION_EXPIRY;
    private Duration keepAlive = DEFAULT_KEEP_ALIVE;
    private Duration reconnectMin = DEFAULT_RECONNECT_MIN;
    private Duration reconnectMax = DEFAULT_RECONNECT_MAX;

    private Builder(String name) {
      this.name = name;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The port; unset means 1883, or 8883 with TLS. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder tls(UpstreamTls tls) {
      this.tls = tls;
      return this;
    }

    public Builder credentials(String username, String password) {
      this.username = username;
      this.password = password;
      return this;
    }

    public Builder protocol(MqttProtocol protocol) {
      this.protocol = Objects.requireNonNull(protocol);
      return this;
    }

    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    public Builder topics(List<String> topics) {
      this.topics = topics == null ? List.of() : List.copyOf(topics);
      return this;
    }

    /** Subscribe to every topic as {@code $share/GROUP/topic}, so several nodes split the load. */
    public Builder sharedGroup(String group) {
      this.sharedGroup = group;
      return this;
    }

    public Builder sessionExpiry(Duration expiry) {
      this.sessionExpiry = Objects.requireNonNull(expiry);
      return this;
    }

    public Builder keepAlive(Duration keepAlive) {
      this.keepAlive = Objects.requireNonNull(keepAlive);
      return this;
    }

    public Builder reconnectDelays(Duration min, Duration max) {
      this.reconnectMin = Objects.requireNonNull(min);
      this.reconnectMax = Objects.requireNonNull(max);
      return this;
    }

    /**
     * @throws InvalidBridgeException naming the first bad setting; the message starts with the
     *     bridge's name
     */
    public BridgeSpec build() {
      String who = "bridge \"" + name + "\": ";
      try {
        return validated();
      } catch (InvalidBridgeException e) {
        throw new InvalidBridgeException(e.field(), who + e.getMessage());
      }
    }

    private BridgeSpec validated() {
      if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}")) {
        throw new InvalidBridgeException(
            "name",
            "name must be 1 to 255 letters, digits, '_', '-' or '.', starting with a letter or"
                + " digit, found: "
                + name);
      }
      if (host == null || host.isBlank()) {
        throw new InvalidBridgeException("host", "host is required");
      }
      int thePort = port != null ? port : (tls != null ? 8883 : 1883);
      if (thePort < 1 || thePort > 65535) {
        throw new InvalidBridgeException("port", "port must be 1..65535, found: " + thePort);
      }
      if (password != null && username == null && protocol == MqttProtocol.V3_1_1) {
        throw new InvalidBridgeException(
            "password", "MQTT 3.1.1 sends a password only with a username; set username too");
      }
      if (clientId != null && (clientId.isEmpty() || clientId.length() > 65535)) {
        throw new InvalidBridgeException(
            "client-id",
            "client-id must not be empty: the persistent session at the broker is kept under it");
      }
      if (topics.isEmpty()) {
        throw new InvalidBridgeException("topics", "topics must list at least one topic filter");
      }
      List<String> subscriptions = new ArrayList<>();
      for (String topic : topics) {
        String subscription = SubscriptionFilters.subscription(topic, sharedGroup);
        if (!subscriptions.contains(subscription)) {
          subscriptions.add(subscription);
        }
      }
      long expiry = sessionExpiry.toSeconds();
      if (expiry < 1 || expiry > MAX_SESSION_EXPIRY_SECONDS) {
        throw new InvalidBridgeException(
            "session-expiry",
            "session-expiry must be 1s.."
                + MAX_SESSION_EXPIRY_SECONDS
                + "s (without it the broker would drop queued messages while Inlet is away),"
                + " found: "
                + sessionExpiry.toSeconds()
                + "s");
      }
      if (keepAlive.toSeconds() < 0 || keepAlive.toSeconds() > 65535) {
        throw new InvalidBridgeException(
            "keep-alive", "keep-alive must be 0s..65535s, found: " + keepAlive.toSeconds() + "s");
      }
      if (reconnectMin.toMillis() < 10 || reconnectMax.compareTo(reconnectMin) < 0) {
        throw new InvalidBridgeException(
            "reconnect-delay",
            "reconnect delays must be at least 10ms, the maximum not below the minimum, found: "
                + reconnectMin.toMillis()
                + "ms.."
                + reconnectMax.toMillis()
                + "ms");
      }
      return new BridgeSpec(
          name,
          host.trim(),
          thePort,
          tls,
          username,
          password,
          protocol,
          clientId,
          subscriptions,
          sessionExpiry,
          keepAlive,
          reconnectMin,
          reconnectMax);
    }
  }

  /** Leaves the password out. */
  @Override
  public String toString() {
    return "BridgeSpec[name="
        + name
        + ", "
        + host
        + ":"
        + port
        + (tls != null ? " tls" : "")
        + ", "
        + protocol.configName()
        + ", topics="
        + subscriptions
        + "]";
  }
}
