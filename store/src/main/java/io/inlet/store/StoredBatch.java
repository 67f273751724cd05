package io.inlet.store;

import io.inlet.api.hstream.BatchedRecord;

/**
 * A batch read back from a shard: the LSN it was given, the time the store appended it, and the
 * batch as received (compressed or not).
 */
public record StoredBatch(long shardId, long lsn, long appendTimeMs, BatchedRecord batch) {}
