package io.inlet.cluster.replication;

/** A replicated shard log could not do what was asked; the message says why. */
public class ReplicationException extends RuntimeException {
  public ReplicationException(String message) {
    super(message);
  }

  public ReplicationException(String message, Throwable cause) {
    super(message, cause);
  }
}
