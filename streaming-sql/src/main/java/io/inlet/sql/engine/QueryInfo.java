package io.inlet.sql.engine;

/**
 * A query as listed: its definition, what it is doing now, and why it failed when it did.
 *
 * @param error the last failure of a query whose status is ABORTED, else null
 */
public record QueryInfo(QueryDefinition definition, Status status, String error) {
  /** HStreamDB's task statuses that Inlet uses. */
  public enum Status {
    CREATING,
    RUNNING,
    ABORTED,
    PAUSED,
    TERMINATED
  }
}
