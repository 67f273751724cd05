package io.inlet.cdc.runtime;

import java.time.Instant;

/**
 * What a connector is doing: NEW (created, not yet delivering), RUNNING, PAUSED, or FAILED with the
 * cause and the time of the last failure (it is then restarting with backoff). {@code cause} and
 * {@code since} are null unless FAILED.
 */
public record ConnectorStatus(State state, String cause, Instant since) {
  public enum State {
    NEW,
    RUNNING,
    PAUSED,
    FAILED
  }

  public static ConnectorStatus of(State state) {
    return new ConnectorStatus(state, null, null);
  }

  public static ConnectorStatus failed(String cause, Instant at) {
    return new ConnectorStatus(State.FAILED, cause, at);
  }
}
