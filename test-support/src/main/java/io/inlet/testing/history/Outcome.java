package io.inlet.testing.history;

/** How an append attempt ended, as its client saw it. */
public enum Outcome {
  /** Acknowledged: the records must be stored, once, in order. */
  OK,
  /** Refused in a way that says nothing was stored: the records must not be stored. */
  FAILED,
  /** No answer, or an error that does not say whether anything was stored: either is fine. */
  UNKNOWN,
  /** Not finished yet; counts as {@link #UNKNOWN} when the history is checked. */
  PENDING
}
