package io.inlet.api.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import java.util.Map;

/**
 * Single records as HStreamDB clients build them: RAW records carry bytes; JSON records carry a
 * serialized {@link Struct}.
 */
public final class HStreamRecords {
  private HStreamRecords() {}

  /** A RAW record; the payload is copied. */
  public static HStreamRecord raw(String key, byte[] payload, Map<String, String> attributes) {
    return raw(key, ByteString.copyFrom(payload), attributes);
  }

  /**
   * A RAW record carrying {@code payload} as it is (a {@link ByteString} is immutable; one made
   * with {@code UnsafeByteOperations.unsafeWrap} over an array nobody changes again saves a copy).
   */
  public static HStreamRecord raw(String key, ByteString payload, Map<String, String> attributes) {
    return HStreamRecord.newBuilder()
        .setHeader(
            HStreamRecordHeader.newBuilder()
                .setFlag(HStreamRecordHeader.Flag.RAW)
                .setKey(key == null ? "" : key)
                .putAllAttributes(attributes))
        .setPayload(payload)
        .build();
  }

  public static HStreamRecord json(String key, Struct value, Map<String, String> attributes) {
    return HStreamRecord.newBuilder()
        .setHeader(
            HStreamRecordHeader.newBuilder()
                .setFlag(HStreamRecordHeader.Flag.JSON)
                .setKey(key == null ? "" : key)
                .putAllAttributes(attributes))
        .setPayload(value.toByteString())
        .build();
  }

  /**
   * Parses a JSON object into the Struct a JSON record carries.
   *
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  public static Struct structFromJson(String json) {
    Struct.Builder builder = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(json, builder);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
    }
    return builder.build();
  }

  /**
   * Whether the record's payload is what its flag says: any bytes for RAW, a serialized {@link
   * Struct} (and nothing unknown in it) for JSON.
   */
  public static boolean hasReadablePayload(HStreamRecord record) {
    return switch (record.getHeader().getFlag()) {
      case RAW -> true;
      case JSON -> BatchValidator.isStruct(record.getPayload());
      case UNRECOGNIZED -> false;
    };
  }

  /** A record's payload as text: JSON records as JSON, RAW records as UTF-8. */
  public static String payloadAsText(HStreamRecord record) {
    if (record.getHeader().getFlag() == HStreamRecordHeader.Flag.JSON) {
      try {
        return JsonFormat.printer()
            .omittingInsignificantWhitespace()
            .print(Struct.parseFrom(record.getPayload()));
      } catch (InvalidProtocolBufferException e) {
        return "<invalid JSON record: " + e.getMessage() + ">";
      }
    }
    return record.getPayload().toStringUtf8();
  }
}
