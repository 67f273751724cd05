package io.inlet.store.segment;

import java.util.List;

/**
 * A group written and not yet synced: its appends, their LSNs, what its sync must cover, and
 * whether the journal holds it (then syncing the journal makes it durable).
 */
record WrittenGroup(
    List<PendingWrite> appends,
    long payloadBytes,
    long[] lsns,
    List<ShardSegments.SyncPoint> syncPoints,
    boolean journaled) {}
