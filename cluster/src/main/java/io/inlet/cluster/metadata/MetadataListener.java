package io.inlet.cluster.metadata;

/**
 * Told of every change applied on a voter, in the order of the Raft log, on one thread of its own
 * ({@code inlet-metadata-listeners}); a slow listener delays the later calls, never the group.
 */
@FunctionalInterface
public interface MetadataListener {
  void onChange(MetadataChange change);
}
