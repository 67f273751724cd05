package io.inlet.store.internal;

/**
 * Keys of the {@code data} column family: the shard id then the LSN, both 8 bytes big-endian, so
 * one shard's batches are contiguous and in LSN order. Shard ids and LSNs are below 2^63, so signed
 * and unsigned order agree.
 */
final class DataKeys {
  static final int LENGTH = 16;

  /** Exclusive upper bound for the LSNs of a shard; no batch is ever given this LSN. */
  static final long END_LSN = Long.MAX_VALUE;

  private DataKeys() {}

  static byte[] key(long shardId, long lsn) {
    byte[] key = new byte[LENGTH];
    write(key, shardId, lsn);
    return key;
  }

  static void write(byte[] key, long shardId, long lsn) {
    Bytes.putLong(key, 0, shardId);
    Bytes.putLong(key, 8, lsn);
  }

  static long shardId(byte[] key) {
    return Bytes.getLong(key, 0);
  }

  static long lsn(byte[] key) {
    return Bytes.getLong(key, 8);
  }
}
