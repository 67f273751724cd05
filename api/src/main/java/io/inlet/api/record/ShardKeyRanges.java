package io.inlet.api.record;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The start keys of a stream's shards, in key order, for finding the shard of a partition key once
 * per message without a {@link BigInteger}: the key's MD5 ({@link PartitionKeys#hash}) is read as
 * two unsigned 64-bit halves and compared with the start keys split the same way. Each thread keeps
 * one {@link MessageDigest} and one digest buffer. Immutable and thread-safe.
 */
public final class ShardKeyRanges {
  private static final int DIGEST_BYTES = 16;
  private static final ThreadLocal<Md5> MD5 = ThreadLocal.withInitial(Md5::new);

  private final long[] startHigh;
  private final long[] startLow;

  /**
   * @param startKeys each shard's inclusive start key in [0, 2^128), ascending; the first is the
   *     lowest key the stream's shards cover
   */
  public ShardKeyRanges(List<BigInteger> startKeys) {
    if (startKeys.isEmpty()) {
      throw new IllegalArgumentException("a stream has at least one shard");
    }
    startHigh = new long[startKeys.size()];
    startLow = new long[startKeys.size()];
    for (int i = 0; i < startKeys.size(); i++) {
      BigInteger start = startKeys.get(i);
      if (start.signum() < 0 || start.bitLength() > 128) {
        throw new IllegalArgumentException("not a 128-bit key: " + start);
      }
      startHigh[i] = start.shiftRight(64).longValue();
      startLow[i] = start.longValue();
    }
  }

  /**
   * The index of the last shard whose start key is at most the key's hash (the first shard when
   * none is); null counts as the empty key, as in {@link PartitionKeys#hash}.
   */
  public int indexOf(String partitionKey) {
    Md5 md5 = MD5.get();
    byte[] digest = md5.digest(partitionKey == null ? "" : partitionKey);
    long high = bigEndianLong(digest, 0);
    long low = bigEndianLong(digest, 8);
    int lowIndex = 0;
    int highIndex = startHigh.length - 1;
    while (lowIndex < highIndex) {
      int mid = (lowIndex + highIndex + 1) >>> 1;
      if (compareUnsigned128(startHigh[mid], startLow[mid], high, low) <= 0) {
        lowIndex = mid;
      } else {
        highIndex = mid - 1;
      }
    }
    return lowIndex;
  }

  private static int compareUnsigned128(long aHigh, long aLow, long bHigh, long bLow) {
    int byHigh = Long.compareUnsigned(aHigh, bHigh);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(aLow, bLow);
  }

  private static long bigEndianLong(byte[] bytes, int from) {
    long value = 0;
    for (int i = from; i < from + 8; i++) {
      value = (value << 8) | (bytes[i] & 0xFF);
    }
    return value;
  }

  /** One thread's MD5 digest and the buffer it digests into. */
  private static final class Md5 {
    private final MessageDigest digest;
    private final byte[] out = new byte[DIGEST_BYTES];

    Md5() {
      try {
        digest = MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM provides MD5", e);
      }
    }

    byte[] digest(String key) {
      digest.update(key.getBytes(StandardCharsets.UTF_8));
      try {
        digest.digest(out, 0, DIGEST_BYTES);
      } catch (DigestException e) {
        throw new IllegalStateException("MD5 digests are 16 bytes", e);
      }
      return out;
    }
  }
}
