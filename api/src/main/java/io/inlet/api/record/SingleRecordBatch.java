package io.inlet.api.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.inlet.api.hstream.BatchHStreamRecords;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * An uncompressed batch of one record, written straight from the record's parts: the bytes are
 * those of {@link RecordBatches#encode} of that one record, serialized deterministically
 * (attributes in name order), without the protobuf builders, the attribute map and its entries that
 * building an {@link HStreamRecord} takes per message. The record's payload is not copied: the
 * batch's payload is the encoded envelope followed by the caller's {@link ByteString} (a rope of
 * the two), which the store copies once into its write.
 *
 * <p>Layout ({@link BatchHStreamRecords} { records = 1: {@link HStreamRecord} { header = 1: {@link
 * HStreamRecordHeader} { flag = 1, attributes = 2 (one entry message per attribute, key = 1 and
 * value = 2 always written), key = 3 }, payload = 2 } }), proto3 defaults (flag JSON, empty key,
 * empty payload) left out as protobuf leaves them out.
 */
public final class SingleRecordBatch {
  /** Protobuf's wire type of strings, bytes and messages (WireFormat.WIRETYPE_LENGTH_DELIMITED). */
  private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  // field numbers, as in hstream.proto
  private static final int RECORDS = 1;
  private static final int HEADER = 1;
  private static final int PAYLOAD = 2;
  private static final int FLAG = 1;
  private static final int ATTRIBUTES = 2;
  private static final int KEY = 3;
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;

  private SingleRecordBatch() {}

  /**
   * @param flag what the payload is (RAW bytes or a serialized Struct)
   * @param key the record's partition key; null counts as empty
   * @param attributes the header's attributes
   * @param payload the record's payload, shared, not copied (it must not change afterwards)
   */
  public static BatchedRecord encode(
      HStreamRecordHeader.Flag flag, String key, RecordAttributes attributes, ByteString payload) {
    String recordKey = key == null ? "" : key;
    int headerSize = headerSize(flag, recordKey, attributes);
    int recordSize = fieldSize(HEADER, headerSize) + payloadFieldSize(payload);
    int envelopeSize =
        CodedOutputStream.computeTagSize(RECORDS)
            + CodedOutputStream.computeUInt32SizeNoTag(recordSize)
            + fieldSize(HEADER, headerSize)
            + (payload.isEmpty()
                ? 0
                : CodedOutputStream.computeTagSize(PAYLOAD)
                    + CodedOutputStream.computeUInt32SizeNoTag(payload.size()));
    byte[] envelope = new byte[envelopeSize];
    CodedOutputStream out = CodedOutputStream.newInstance(envelope);
    try {
      out.writeTag(RECORDS, LENGTH_DELIMITED);
      out.writeUInt32NoTag(recordSize);
      out.writeTag(HEADER, LENGTH_DELIMITED);
      out.writeUInt32NoTag(headerSize);
      writeHeader(out, flag, recordKey, attributes);
      if (!payload.isEmpty()) {
        out.writeTag(PAYLOAD, LENGTH_DELIMITED);
        out.writeUInt32NoTag(payload.size());
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("sized wrong: " + e.getMessage(), e);
    }
    Instant now = Instant.now();
    return BatchedRecord.newBuilder()
        .setCompressionType(CompressionType.None)
        .setBatchSize(1)
        .setPublishTime(
            Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        // nobody else holds the envelope; the payload is the caller's, unchanged from here on
        .setPayload(UnsafeByteOperations.unsafeWrap(envelope).concat(payload))
        .build();
  }

  private static int headerSize(
      HStreamRecordHeader.Flag flag, String key, RecordAttributes attributes) {
    int size =
        flag.getNumber() == 0 ? 0 : CodedOutputStream.computeEnumSize(FLAG, flag.getNumber());
    for (int i = 0; i < attributes.size(); i++) {
      size += fieldSize(ATTRIBUTES, entrySize(attributes.name(i), attributes.value(i)));
    }
    if (!key.isEmpty()) {
      size += CodedOutputStream.computeStringSize(KEY, key);
    }
    return size;
  }

  private static void writeHeader(
      CodedOutputStream out, HStreamRecordHeader.Flag flag, String key, RecordAttributes attributes)
      throws IOException {
    if (flag.getNumber() != 0) {
      out.writeEnum(FLAG, flag.getNumber());
    }
    for (int i = 0; i < attributes.size(); i++) {
      String name = attributes.name(i);
      String value = attributes.value(i);
      out.writeTag(ATTRIBUTES, LENGTH_DELIMITED);
      out.writeUInt32NoTag(entrySize(name, value));
      out.writeString(ENTRY_KEY, name);
      out.writeString(ENTRY_VALUE, value);
    }
    if (!key.isEmpty()) {
      out.writeString(KEY, key);
    }
  }

  private static int entrySize(String name, String value) {
    return CodedOutputStream.computeStringSize(ENTRY_KEY, name)
        + CodedOutputStream.computeStringSize(ENTRY_VALUE, value);
  }

  private static int payloadFieldSize(ByteString payload) {
    return payload.isEmpty() ? 0 : fieldSize(PAYLOAD, payload.size());
  }

  private static int fieldSize(int fieldNumber, int length) {
    return CodedOutputStream.computeTagSize(fieldNumber)
        + CodedOutputStream.computeUInt32SizeNoTag(length)
        + length;
  }
}
