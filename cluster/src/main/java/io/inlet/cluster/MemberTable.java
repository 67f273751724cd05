package io.inlet.cluster;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The other members by node id, each with the gossip incarnation (scalecube member id, new on every
 * start) that last spoke for it.
 *
 * <p>A node restarted at once under the same node id is a new incarnation, and the membership may
 * report the new one joining before it reports the old one leaving or removed. News of an
 * incarnation's departure counts only while that incarnation holds the node id: otherwise it would
 * list a running node DEAD until its next state change, which may never come.
 */
final class MemberTable {
  private record Entry(MemberStatus status, String incarnation) {}

  private final Map<Integer, Entry> byNodeId = new HashMap<>();
  private final Clock clock;

  MemberTable(Clock clock) {
    this.clock = clock;
  }

  /**
   * {@code incarnation} is in the membership and reports {@code info}: it holds the node id from
   * now on, in the state it reports.
   *
   * @return the new status, or empty when nothing changed
   */
  synchronized Optional<MemberStatus> present(String incarnation, NodeInfo info) {
    return put(incarnation, info, info.state());
  }

  /**
   * {@code incarnation} is leaving ({@link NodeState#UNAVAILABLE}) or gone ({@link
   * NodeState#DEAD}).
   *
   * @return the new status, or empty when nothing changed, or when a later incarnation holds the
   *     node id
   */
  synchronized Optional<MemberStatus> departing(
      String incarnation, NodeInfo info, NodeState state) {
    Entry current = byNodeId.get(info.nodeId());
    if (current != null && !current.incarnation().equals(incarnation)) {
      return Optional.empty();
    }
    return put(incarnation, info, state);
  }

  /** The last account the member gossiping under {@code alias} gave of itself, if any. */
  synchronized Optional<NodeInfo> infoByAlias(String alias) {
    return byNodeId.values().stream()
        .map(Entry::status)
        .filter(s -> ("node-" + s.nodeId()).equals(alias))
        .map(MemberStatus::info)
        .findFirst();
  }

  synchronized List<MemberStatus> all() {
    List<MemberStatus> all = new ArrayList<>();
    byNodeId.values().forEach(entry -> all.add(entry.status()));
    return all;
  }

  private Optional<MemberStatus> put(String incarnation, NodeInfo info, NodeState state) {
    Entry before = byNodeId.get(info.nodeId());
    boolean changed =
        before == null || before.status().state() != state || !before.status().info().equals(info);
    MemberStatus status = changed ? new MemberStatus(info, state, clock.millis()) : before.status();
    byNodeId.put(info.nodeId(), new Entry(status, incarnation));
    return changed ? Optional.of(status) : Optional.empty();
  }
}
