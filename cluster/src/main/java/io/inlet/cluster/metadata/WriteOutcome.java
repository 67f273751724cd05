package io.inlet.cluster.metadata;

/** What the state machine did with one write: the reply each voter computes the same way. */
sealed interface WriteOutcome {

  /** Applied at {@code index}; every key it set now has that version. */
  record Applied(long index) implements WriteOutcome {}

  /** Not applied: {@code key} had {@code actualVersion}, not {@code expectedVersion}. */
  record Conflict(String key, long expectedVersion, long actualVersion) implements WriteOutcome {}

  /** Not applied: the command could not be read (for example a format from a newer node). */
  record Rejected(String reason) implements WriteOutcome {}
}
