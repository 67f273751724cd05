package io.inlet.server.config;

import io.inlet.api.config.OptionValues;
import io.inlet.emqx.ExHookConfigKeys;
import io.inlet.emqx.ExHookSettings;
import java.time.Duration;
import java.util.List;

/**
 * The EMQX ExHook settings of a node ({@link ExHookConfigKeys}).
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

  static ExHookConfig from(OptionValues values) {
    return new ExHookConfig(
        values.get(ExHookConfigKeys.EXHOOK_ENABLED),
        values.get(ExHookConfigKeys.EXHOOK_PORT),
        values.isSet(ExHookConfigKeys.EXHOOK_PORT),
        values.get(ExHookConfigKeys.EXHOOK_TOPICS),
        values.get(ExHookConfigKeys.EXHOOK_DENY_ON_FAILURE),
        values.get(ExHookConfigKeys.EXHOOK_ANSWER_TIMEOUT));
  }

  /** The provider's settings, listening on {@code bind}. */
  public ExHookSettings settings(String bind) {
    return new ExHookSettings(bind, port, topicFilters, denyOnFailure, answerTimeout);
  }
}
