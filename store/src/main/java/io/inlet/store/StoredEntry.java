package io.inlet.store;

/**
 * An entry read back from a shard: the LSN it was given and the time the store appended it (epoch
 * milliseconds), with the entry as it was appended.
 */
public record StoredEntry(long shardId, long lsn, long appendTimeMs, Entry entry) {}
