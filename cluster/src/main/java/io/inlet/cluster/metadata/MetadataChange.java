package io.inlet.cluster.metadata;

import java.util.Map;
import java.util.Set;

/**
 * What one applied write (or an installed snapshot) changed in one namespace.
 *
 * @param namespace the namespace changed
 * @param puts the keys set, with their new values and versions
 * @param deletes the keys removed
 * @param index the Raft log index the change was applied at
 */
public record MetadataChange(
    String namespace, Map<String, MetadataEntry> puts, Set<String> deletes, long index) {

  public MetadataChange {
    puts = Map.copyOf(puts);
    deletes = Set.copyOf(deletes);
  }
}
