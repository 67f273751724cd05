package io.inlet.server.config;

import io.inlet.emqx.ExHookSettings;
import java.time.Duration;
import java.util.List;

/**
 * The EMQX ExHook settings of a node ({@code exhook-*} in {@link InletOptions}).
 *
 * @param enabled whether the node serves ExHook at all
 * @param port the port; 0 picks a free one
 * @param portGiven the port was set (flag or config file) rather than defaulted: a port in use is
 *     then a startup error instead of a warning
 * @param topicFilters the topic filters registered for message.publish
 * @param denyOnFailure answer allow_publish=false when a publish cannot be stored
 * @param answerTimeout the latest a message.publish answer is sent
 */
public record ExHookConfig(
    boolean enabled,
    int port,
    boolean portGiven,
    List<String> topicFilters,
    boolean denyOnFailure,
    Duration answerTimeout) {

  public ExHookConfig {
    topicFilters = List.copyOf(topicFilters);
  }

  /** The provider's settings, listening on {@code bind}. */
  public ExHookSettings settings(String bind) {
    return new ExHookSettings(bind, port, topicFilters, denyOnFailure, answerTimeout);
  }

  /** The same, on an explicitly chosen port. */
  public ExHookConfig withPort(int explicitPort) {
    return new ExHookConfig(
        enabled, explicitPort, true, topicFilters, denyOnFailure, answerTimeout);
  }

  public ExHookConfig withDenyOnFailure(boolean deny) {
    return new ExHookConfig(enabled, port, portGiven, topicFilters, deny, answerTimeout);
  }
}
