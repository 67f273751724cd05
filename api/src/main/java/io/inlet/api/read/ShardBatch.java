package io.inlet.api.read;

import io.inlet.api.hstream.BatchedRecord;

/**
 * A durable batch read back from a shard: the LSN the store gave it (its record ids are {@code
 * (shardId, lsn, 0..batchSize-1)}), the time it was appended, and the batch as it was appended
 * (compressed or not; decode it with {@link io.inlet.api.record.RecordBatches}).
 */
public record ShardBatch(long shardId, long lsn, long appendTimeMs, BatchedRecord batch) {}
