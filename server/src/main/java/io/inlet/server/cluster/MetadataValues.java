package io.inlet.server.cluster;

import io.inlet.cluster.metadata.MetadataFormatException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/** The checks every value codec of the replicated metadata makes: its format byte, its end. */
final class MetadataValues {
  private MetadataValues() {}

  /** Opens {@code value} past its format byte, which must be {@code format}. */
  static DataInputStream open(byte[] value, byte format, String what) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(value));
    byte found = in.readByte();
    if (found != format) {
      throw new MetadataFormatException(
          "a "
              + what
              + " in the replicated metadata has format "
              + found
              + ", this node reads "
              + format);
    }
    return in;
  }

  static void requireEnd(DataInputStream in, String what) throws IOException {
    if (in.available() != 0) {
      throw new MetadataFormatException(what + ": trailing bytes");
    }
  }

  static MetadataFormatException truncated(String what, IOException e) {
    return new MetadataFormatException(
        "a " + what + " in the replicated metadata is truncated: " + e);
  }
}
