package io.inlet.store.internal;

/** Big-endian numbers in byte arrays, the encoding of every number in our keys and values. */
final class Bytes {
  private Bytes() {}

  static void putLong(byte[] target, int offset, long value) {
    for (int i = 7; i >= 0; i--) {
      target[offset + i] = (byte) value;
      value >>>= 8;
    }
  }

  static long getLong(byte[] source, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (source[offset + i] & 0xFF);
    }
    return value;
  }

  static int getInt(byte[] source, int offset) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (source[offset + i] & 0xFF);
    }
    return value;
  }

  static byte[] ofLong(long value) {
    byte[] bytes = new byte[8];
    putLong(bytes, 0, value);
    return bytes;
  }

  static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
