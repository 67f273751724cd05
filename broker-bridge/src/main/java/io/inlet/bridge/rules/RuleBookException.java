package io.inlet.bridge.rules;

/** A rule change the {@link RuleBook} refuses, with the reason a caller maps to its status. */
public final class RuleBookException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the change was refused. */
  public enum Reason {
    /** A rule of that name exists. */
    EXISTS,
    /** No rule of that name exists. */
    NOT_FOUND,
    /** The rule comes from the config file (or is built in) and cannot be changed at runtime. */
    NOT_RUNTIME
  }

  private final Reason reason;

  public RuleBookException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
