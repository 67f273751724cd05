package io.inlet.cluster;

/**
 * One member as this node sees it: what it said about itself, and the state the membership gives
 * it. A member that left or failed stays listed as {@link NodeState#DEAD}.
 *
 * @param info the member's own account of itself (its state there is the one it reported)
 * @param state the state to act on: the reported one while the member is in the membership,
 *     UNAVAILABLE while it leaves, DEAD once it is gone
 * @param sinceMs when this node saw the state begin (epoch milliseconds)
 */
public record MemberStatus(NodeInfo info, NodeState state, long sinceMs) {

  public int nodeId() {
    return info.nodeId();
  }
}
