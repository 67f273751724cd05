package io.inlet.api.record;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Maps partition keys onto the 128-bit key space the way HStreamDB clients do: the MD5 digest of
 * the key's UTF-8 bytes read as an unsigned big-endian integer. A record without a key is routed by
 * {@link #DEFAULT_KEY}.
 */
public final class PartitionKeys {
  /** The key HStreamDB clients use for records that carry none. */
  public static final String DEFAULT_KEY = "__default__";

  /** The largest key, 2^128 - 1. */
  public static final BigInteger MAX_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private PartitionKeys() {}

  public static BigInteger hash(String partitionKey) {
    String key = partitionKey == null || partitionKey.isEmpty() ? DEFAULT_KEY : partitionKey;
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
      return new BigInteger(1, digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides MD5", e);
    }
  }

  /**
   * The inclusive start of shard {@code index} when {@code shardCount} shards split the key space
   * evenly; the last shard also takes the remainder.
   */
  public static BigInteger rangeStart(int index, int shardCount) {
    return MAX_KEY
        .add(BigInteger.ONE)
        .divide(BigInteger.valueOf(shardCount))
        .multiply(BigInteger.valueOf(index));
  }

  /** The inclusive end of shard {@code index}; see {@link #rangeStart}. */
  public static BigInteger rangeEnd(int index, int shardCount) {
    return index == shardCount - 1
        ? MAX_KEY
        : rangeStart(index + 1, shardCount).subtract(BigInteger.ONE);
  }
}
