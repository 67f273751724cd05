package io.inlet.api.topic;

/** A text that is not a valid MQTT topic filter; {@link #problem()} says why. */
public final class InvalidTopicFilterException extends IllegalArgumentException {
  private final String filter;
  private final String problem;

  InvalidTopicFilterException(String filter, String problem) {
    super(
        "topic filter "
            + (filter == null ? "(none)" : "\"" + filter + "\"")
            + " is invalid: "
            + problem);
    this.filter = filter;
    this.problem = problem;
  }

  /** The refused text, or null when there was none. */
  public String filter() {
    return filter;
  }

  /** What is wrong, for example {@code '#' must be the last level}. */
  public String problem() {
    return problem;
  }
}
