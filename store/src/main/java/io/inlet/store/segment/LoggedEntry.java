package io.inlet.store.segment;

/** An entry read back from a shard's log with the LSN it was given. */
public record LoggedEntry(long lsn, SegmentEntry entry) {}
