package io.inlet.cluster;

/**
 * A node's state as the cluster sees it, numbered as HStreamDB's {@code NodeState} so the gRPC edge
 * can pass it on unchanged.
 */
public enum NodeState {
  /** Joined the membership, not yet serving (opening its store, catching up). */
  STARTING(0),
  /** Serving. */
  RUNNING(1),
  /** Leaving, or suspected by the failure detector: do not send it new work. */
  UNAVAILABLE(2),
  /** Gone from the membership (left or declared failed). */
  DEAD(3);

  private final int number;

  NodeState(int number) {
    this.number = number;
  }

  /** HStreamDB's wire number for this state. */
  public int number() {
    return number;
  }

  static NodeState ofNumber(int number) {
    for (NodeState state : values()) {
      if (state.number == number) {
        return state;
      }
    }
    throw new IllegalArgumentException("no node state numbered " + number);
  }
}
