package io.inlet.bridge.listener.internal.publish;

/** Inbound topic aliases of one MQTT 5 connection (event loop only). */
public final class TopicAliases {
  private final String[] topics;

  TopicAliases(int maximum) {
    this.topics = new String[maximum + 1];
  }

  /** Whether {@code alias} is within 1..maximum. */
  public boolean inRange(int alias) {
    return alias >= 1 && alias < topics.length;
  }

  public void set(int alias, String topic) {
    topics[alias] = topic;
  }

  /** The topic set for {@code alias}, or null when none was. */
  public String resolve(int alias) {
    return topics[alias];
  }
}
