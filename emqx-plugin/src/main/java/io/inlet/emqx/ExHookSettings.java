package io.inlet.emqx;

import io.inlet.api.topic.TopicFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the ExHook provider listens and answers EMQX.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 picks a free one (see {@link ExHookServer#port()})
 * @param topicFilters the topic filters registered for {@code message.publish}: EMQX calls Inlet
 *     only for messages whose topic matches one of them
 * @param denyOnFailure what to answer when a message could not be stored (store failure, or no
 *     outcome within {@code answerTimeout}): true denies the publish (EMQX drops the message
 *     instead of routing it), false lets EMQX route it although Inlet did not store it
 * @param answerTimeout the latest an {@code OnMessagePublish} answer is sent; keep it below EMQX's
 *     {@code request_timeout} (5s by default), or EMQX gives up first and applies its own {@code
 *     failed_action}
 */
public record ExHookSettings(
    String host,
    int port,
    List<String> topicFilters,
    boolean denyOnFailure,
    Duration answerTimeout) {

  /** Every message: {@code #}. */
  public static final List<String> DEFAULT_TOPIC_FILTERS = List.of("#");

  /** One second less than EMQX's default request_timeout. */
  public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofSeconds(4);

  public ExHookSettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, found: " + port);
    }
    topicFilters = List.copyOf(topicFilters);
    if (topicFilters.isEmpty()) {
      throw new IllegalArgumentException("topicFilters must not be empty");
    }
    topicFilters.forEach(ExHookSettings::checkTopicFilter);
    if (answerTimeout.isNegative() || answerTimeout.isZero()) {
      throw new IllegalArgumentException("answerTimeout must be positive, found: " + answerTimeout);
    }
  }

  /**
   * Parses comma-separated topic filters ({@code sensors/#, alerts/+/high}) as the {@code
   * exhook-topics} option gives them; blanks around commas are dropped.
   *
   * @throws IllegalArgumentException whose message completes "KEY ...", when the list is empty or a
   *     filter is not a valid MQTT topic filter
   */
  public static List<String> parseTopicFilters(String text) {
    List<String> filters = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String filter = part.trim();
      if (!filter.isEmpty()) {
        checkTopicFilter(filter);
        filters.add(filter);
      }
    }
    if (filters.isEmpty()) {
      throw new IllegalArgumentException("must list at least one topic filter (# for every topic)");
    }
    return List.copyOf(filters);
  }

  private static void checkTopicFilter(String filter) {
    String problem = TopicFilter.problem(filter);
    if (problem != null) {
      throw new IllegalArgumentException(
          "has an invalid topic filter \"" + filter + "\": " + problem);
    }
  }

  /** Every topic, continue on failure, answer within {@link #DEFAULT_ANSWER_TIMEOUT}. */
  public static ExHookSettings defaults(String host, int port) {
    return new ExHookSettings(host, port, DEFAULT_TOPIC_FILTERS, false, DEFAULT_ANSWER_TIMEOUT);
  }

  public ExHookSettings withDenyOnFailure(boolean deny) {
    return new ExHookSettings(host, port, topicFilters, deny, answerTimeout);
  }

  public ExHookSettings withAnswerTimeout(Duration timeout) {
    return new ExHookSettings(host, port, topicFilters, denyOnFailure, timeout);
  }

  public ExHookSettings withTopicFilters(List<String> filters) {
    return new ExHookSettings(host, port, filters, denyOnFailure, answerTimeout);
  }
}
