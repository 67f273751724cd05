package io.inlet.store;

import java.time.Instant;

/** A shard reader's settings, kept so readers survive a restart. */
public record ReaderInfo(
    String readerId,
    String streamName,
    long shardId,
    long startLsn,
    int timeoutMs,
    Instant createdAt) {}
