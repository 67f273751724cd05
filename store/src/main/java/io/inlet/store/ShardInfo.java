package io.inlet.store;

import java.math.BigInteger;

/**
 * A shard: a uint64 id unique in the store, and the inclusive range of the 128-bit key space (MD5
 * of the partition key) it owns.
 */
public record ShardInfo(long shardId, String streamName, BigInteger startKey, BigInteger endKey) {}
