package io.inlet.api.record;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Maps partition keys onto the 128-bit key space the way HStreamDB clients do: the MD5 digest of
 * the key's UTF-8 bytes read as an unsigned big-endian integer. A record without a key is routed by
 * the empty key, as the Java, Python and Erlang clients route it (they hash {@code ""}).
 */
public final class PartitionKeys {
  /**
   * The key HStreamDB's server substitutes for an empty key in its own routing. Clients do not, and
   * neither does {@link #hash}; kept for code that needs to recognise it.
   */
  public static final String DEFAULT_KEY = "__default__";

  /** The largest key, 2^128 - 1. */
  public static final BigInteger MAX_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private PartitionKeys() {}

  /** MD5 of the key's UTF-8 bytes as an unsigned integer; null counts as the empty key. */
  public static BigInteger hash(String partitionKey) {
    String key = partitionKey == null ? "" : partitionKey;
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
      return new BigInteger(1, digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides MD5", e);
    }
  }

  /**
   * The inclusive start of shard {@code index} when {@code shardCount} shards split the key space
   * evenly. As HStreamDB's server splits it: each shard spans {@code floor(MAX_KEY / shardCount)}
   * keys and the last one also takes the remainder, so Inlet lists the same ranges HStreamDB would.
   */
  public static BigInteger rangeStart(int index, int shardCount) {
    return span(shardCount).multiply(BigInteger.valueOf(index));
  }

  /** The inclusive end of shard {@code index}; see {@link #rangeStart}. */
  public static BigInteger rangeEnd(int index, int shardCount) {
    return index == shardCount - 1
        ? MAX_KEY
        : rangeStart(index, shardCount).add(span(shardCount)).subtract(BigInteger.ONE);
  }

  private static BigInteger span(int shardCount) {
    if (shardCount < 1) {
      throw new IllegalArgumentException("shard count must be positive, found: " + shardCount);
    }
    return MAX_KEY.divide(BigInteger.valueOf(shardCount));
  }
}
