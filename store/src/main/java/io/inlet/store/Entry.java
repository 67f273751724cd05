package io.inlet.store;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * What the store keeps at one LSN: opaque bytes and the little it must know about them. The store
 * never looks inside {@code payload}; it counts {@code recordCount} in acks and metrics and keeps
 * {@code format} and hands it back as given. How the payload is encoded (HStreamDB's {@code
 * BatchedRecord} envelope, its compression) is the business of the edges that append and read it,
 * and a replicated log carries entries from node to node as they are.
 *
 * <p>The payload is not copied: an entry shares the bytes it is given, which {@link ByteString}
 * keeps immutable.
 *
 * @param recordCount how many records the payload holds, as the edge counted them: an unsigned
 *     32-bit number ({@link Integer#toUnsignedLong}); the store does not check it
 * @param format a tag for the payload's encoding (e.g. its compression), 0 to {@link #MAX_FORMAT};
 *     the store does not interpret it
 * @param payload the bytes, kept as given
 */
public record Entry(int recordCount, int format, ByteString payload) {
  /** The largest {@code format}: it is stored in one byte. */
  public static final int MAX_FORMAT = 255;

  /**
   * @throws IllegalArgumentException for a format outside 0 to {@link #MAX_FORMAT}
   */
  public Entry {
    Objects.requireNonNull(payload, "payload");
    if (format < 0 || format > MAX_FORMAT) {
      throw new IllegalArgumentException(
          "an entry's format must be 0.." + MAX_FORMAT + ", found: " + format);
    }
  }
}
