package io.inlet.store.segment;

/**
 * What a segment log's writer reports of its group commits, for meters. Called from the writer's
 * own threads; implementations must be quick and must not throw. Each report is ignored unless
 * overridden.
 */
public interface WriterMeters {
  /** Reports nothing. */
  WriterMeters NONE = new WriterMeters() {};

  /**
   * The groups written since the last sync were made durable by one round of syncs (the shared
   * journal's, or their segments'): {@code appends} appends of {@code payloadBytes}, synced in
   * {@code syncNanos} (0 with {@link SegmentLogOptions#unsafeSkipFsync()}).
   */
  default void synced(int appends, long payloadBytes, long syncNanos) {}

  /** The writer waited this long for more appends to share a group (the commit delay). */
  default void delayed(long nanos) {}

  /**
   * The writer stopped taking appends for this long to checkpoint the shared journal (sync the
   * segments it covers and start it again).
   */
  default void checkpointed(long nanos) {}

  /**
   * The segments the shared journal covers were written back in the background ({@code segments}
   * files fdatasync'd in {@code nanos}), so that the next checkpoint has less to sync.
   */
  default void wroteBack(int segments, long nanos) {}
}
