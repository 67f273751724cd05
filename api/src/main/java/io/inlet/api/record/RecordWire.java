package io.inlet.api.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.WireFormat;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import java.io.IOException;

/**
 * Reads what validation needs from a serialized {@link HStreamRecord} (its header's flag and its
 * payload) without building the record: no header message, no key string, no attribute map, no copy
 * of the payload. It accepts and refuses exactly the bytes {@code HStreamRecord.parseFrom} does, by
 * walking the same fields with the same {@link CodedInputStream} calls the generated parser makes:
 * the key and the attributes must be UTF-8, unknown fields go through {@link UnknownFieldSet} as in
 * the generated code, a repeated header merges (its last flag wins), a repeated payload replaces
 * the one before, and nesting counts against the same recursion limit. {@code RecordWireTest}
 * compares both on valid, mutated and hand-made records.
 */
final class RecordWire {
  private static final int HEADER = tag(HStreamRecord.HEADER_FIELD_NUMBER);
  private static final int PAYLOAD = tag(HStreamRecord.PAYLOAD_FIELD_NUMBER);
  private static final int FLAG =
      (HStreamRecordHeader.FLAG_FIELD_NUMBER << 3) | WireFormat.WIRETYPE_VARINT;
  private static final int ATTRIBUTE = tag(HStreamRecordHeader.ATTRIBUTES_FIELD_NUMBER);
  private static final int KEY = tag(HStreamRecordHeader.KEY_FIELD_NUMBER);
  private static final int ENTRY_KEY = tag(1);
  private static final int ENTRY_VALUE = tag(2);

  /** protobuf-java's default: how deep messages and groups may nest. */
  private static final int RECURSION_LIMIT = 100;

  private RecordWire() {}

  /** What validation looks at: the header's flag (as a number) and the payload. */
  record Shape(int flag, ByteString payload) {}

  /**
   * Reads a record's flag and payload (aliasing {@code bytes}).
   *
   * @throws InvalidProtocolBufferException exactly when {@code HStreamRecord.parseFrom(bytes)}
   *     would throw
   */
  static Shape read(ByteString bytes) throws InvalidProtocolBufferException {
    CodedInputStream input = bytes.newCodedInput();
    input.enableAliasing(true);
    try {
      int flag = 0;
      ByteString payload = ByteString.EMPTY;
      while (true) {
        int tag = input.readTag();
        if (tag == 0) {
          return new Shape(flag, payload);
        } else if (tag == HEADER) {
          flag = readHeader(input, flag);
        } else if (tag == PAYLOAD) {
          payload = input.readBytes();
        } else if (!skipUnknown(input, tag)) {
          throw endGroupOutsideGroup();
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }

  /** Merges one header (a nested message, depth 1) and returns the flag after it. */
  private static int readHeader(CodedInputStream input, int flag) throws IOException {
    int length = input.readRawVarint32();
    int oldLimit = input.pushLimit(length);
    int outerLimit = input.setRecursionLimit(RECURSION_LIMIT - 1);
    int merged = flag;
    while (true) {
      int tag = input.readTag();
      if (tag == 0) {
        break;
      } else if (tag == FLAG) {
        merged = input.readEnum();
      } else if (tag == ATTRIBUTE) {
        readAttribute(input);
      } else if (tag == KEY) {
        input.readStringRequireUtf8();
      } else if (!skipUnknown(input, tag)) {
        break;
      }
    }
    endMessage(input, oldLimit, outerLimit);
    return merged;
  }

  /** One attributes map entry (depth 2): string key and value, unknown fields skipped. */
  private static void readAttribute(CodedInputStream input) throws IOException {
    int length = input.readRawVarint32();
    int oldLimit = input.pushLimit(length);
    int outerLimit = input.setRecursionLimit(RECURSION_LIMIT - 2);
    while (true) {
      int tag = input.readTag();
      if (tag == 0) {
        break;
      } else if (tag == ENTRY_KEY || tag == ENTRY_VALUE) {
        input.readStringRequireUtf8();
      } else if (!input.skipField(tag)) {
        break;
      }
    }
    endMessage(input, oldLimit, outerLimit);
  }

  /** Leaves a nested message as {@code CodedInputStream.readMessage} does. */
  private static void endMessage(CodedInputStream input, int oldLimit, int outerLimit)
      throws InvalidProtocolBufferException {
    input.checkLastTagWas(0);
    input.setRecursionLimit(outerLimit);
    if (input.getBytesUntilLimit() != 0) {
      throw new InvalidProtocolBufferException("a message ended before its length said");
    }
    input.popLimit(oldLimit);
  }

  /** An unknown field, read as the generated parser reads it; false at an end-group tag. */
  private static boolean skipUnknown(CodedInputStream input, int tag) throws IOException {
    return UnknownFieldSet.newBuilder().mergeFieldFrom(tag, input);
  }

  private static InvalidProtocolBufferException endGroupOutsideGroup() {
    return new InvalidProtocolBufferException(
        "Protocol message end-group tag did not match expected tag.");
  }

  private static int tag(int fieldNumber) {
    return (fieldNumber << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }
}
