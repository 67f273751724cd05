package io.inlet.bridge.rules;

/**
 * A rule that cannot be used, with the setting at fault ({@code topic}, {@code key}, ...) and a
 * message meant for the user as it is, e.g. {@code rule "temps": key: unknown placeholder ${foo}}.
 */
public final class InvalidRuleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidRuleException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The setting at fault, named as in the config file ({@code topic}, {@code stream}, ...). */
  public String field() {
    return field;
  }
}
