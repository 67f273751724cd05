package io.inlet.store.internal;

import java.nio.charset.StandardCharsets;

/**
 * Keys of the {@code meta} column family: one tag byte naming the kind of record, then the record's
 * natural key. Numbers are 8 bytes big-endian; names are UTF-8.
 *
 * <pre>
 * 'F' "format"                     -> store format version (8 bytes)
 * 'N' counter name                 -> next value (8 bytes)
 * 'S' stream name                  -> StreamRecord
 * 'T' shard id                     -> first LSN not trimmed (8 bytes)
 * 'U' subscription id              -> SubscriptionRecord
 * 'C' subscription id 0x00 shard id -> next LSN to deliver (8 bytes)
 * 'R' reader id                    -> ReaderRecord
 * </pre>
 *
 * Reserved for what comes next, so no other use may take them: 'Q' queries, 'V' views, 'K'
 * connectors, 'X' connector state, 'B' bridge rules, 'M' membership and placement.
 */
final class MetaKeys {
  static final byte FORMAT = 'F';
  static final byte COUNTER = 'N';
  static final byte STREAM = 'S';
  static final byte TRIM_POINT = 'T';
  static final byte SUBSCRIPTION = 'U';
  static final byte CHECKPOINT = 'C';
  static final byte READER = 'R';

  static final String NEXT_SHARD_ID = "next-shard-id";

  private MetaKeys() {}

  static byte[] named(byte tag, String name) {
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[1 + utf8.length];
    key[0] = tag;
    System.arraycopy(utf8, 0, key, 1, utf8.length);
    return key;
  }

  static String name(byte[] key) {
    return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
  }

  static byte[] numbered(byte tag, long id) {
    byte[] key = new byte[9];
    key[0] = tag;
    Bytes.putLong(key, 1, id);
    return key;
  }

  static long number(byte[] key) {
    return Bytes.getLong(key, 1);
  }

  static byte[] prefix(byte tag) {
    return new byte[] {tag};
  }

  /** All checkpoints of a subscription; the 0x00 separator cannot occur in a valid id. */
  static byte[] checkpointPrefix(String subscriptionId) {
    byte[] named = named(CHECKPOINT, subscriptionId);
    byte[] prefix = new byte[named.length + 1];
    System.arraycopy(named, 0, prefix, 0, named.length);
    return prefix;
  }

  static byte[] checkpoint(String subscriptionId, long shardId) {
    byte[] prefix = checkpointPrefix(subscriptionId);
    byte[] key = new byte[prefix.length + 8];
    System.arraycopy(prefix, 0, key, 0, prefix.length);
    Bytes.putLong(key, prefix.length, shardId);
    return key;
  }

  /** The smallest key greater than every key starting with {@code prefix}. */
  static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        byte[] trimmed = new byte[i + 1];
        System.arraycopy(end, 0, trimmed, 0, i + 1);
        return trimmed;
      }
    }
    throw new IllegalArgumentException("prefix has no upper bound");
  }
}
