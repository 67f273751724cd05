package io.inlet.server.testing.clusterkill;

import io.inlet.testing.history.HistoryVerdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a cluster drill saw: the kill drill ({@link ClusterKillDrill}) or the rolling restart
 * ({@link RollingRestartDrill}).
 *
 * @param verdict the history checker's verdict on every append attempt and the final reads
 * @param crashes nodes that exited by themselves, or did not start again after a kill
 * @param rounds one line per round (a kill, or a node's restart), for the drill's table
 * @param figures named figures for the summary line (times in ms), in print order
 * @param findings every broken expectation: the checker's, then the drill's own
 */
public record ClusterKillReport(
    HistoryVerdict verdict,
    long crashes,
    List<String> rounds,
    Map<String, Object> figures,
    List<String> findings) {
  public ClusterKillReport {
    rounds = List.copyOf(rounds);
    figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    findings = List.copyOf(findings);
  }

  /** Nothing acknowledged lost, no duplicate, no reordering, no crash, no other finding. */
  public boolean passed() {
    return verdict.clean() && crashes == 0 && findings.isEmpty();
  }
}
