package io.inlet.api.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place a {@link BatchedRecord} is checked against what it claims and against the {@link
 * BatchLimits}. Nothing here allocates from a count the batch declares: payloads are decompressed
 * with a bound and records are counted as they are read.
 *
 * <ul>
 *   <li>{@link #validate} before a client's batch is stored (gRPC Append): the whole batch.
 *   <li>{@link #checkEnvelope} for batches Inlet built itself (MQTT, ExHook): the cheap checks.
 *   <li>{@link #checkStored} and {@link #decode} when a stored batch is read: it may have been
 *       written by an older version that checked less.
 * </ul>
 *
 * <p>Every check fails with {@link InvalidBatchException}, whose message names what is wrong.
 * Thread-safe.
 */
public final class BatchValidator {
  private final BatchLimits limits;

  public BatchValidator(BatchLimits limits) {
    this.limits = limits;
  }

  public BatchLimits limits() {
    return limits;
  }

  /**
   * A known compression, {@code batchSize} (an unsigned 32-bit number) from 1 to {@code
   * max-batch-records}, a payload of 1 byte to {@code max-record-size}. The payload is not opened.
   */
  public void checkEnvelope(BatchedRecord batch) {
    if (batch.getCompressionType() == CompressionType.UNRECOGNIZED) {
      throw PayloadRecords.unknownCompression(batch.getCompressionTypeValue());
    }
    long size = Integer.toUnsignedLong(batch.getBatchSize());
    if (size == 0) {
      throw new InvalidBatchException(
          ErrorCode.StreamEmptyBatchedRecord, "batchSize must be at least 1, found: 0");
    }
    if (size > limits.maxRecords()) {
      throw InvalidBatchException.tooLarge(
          "batchSize "
              + size
              + " is more than "
              + BatchLimits.RECORDS_SETTING
              + " ("
              + limits.maxRecords()
              + ")");
    }
    if (batch.getPayload().isEmpty()) {
      throw new InvalidBatchException(
          ErrorCode.StreamEmptyBatchedRecord, "the batch's payload is empty");
    }
    if (batch.getPayload().size() > limits.maxPayloadBytes()) {
      throw InvalidBatchException.tooLarge(
          "the batch's payload is "
              + batch.getPayload().size()
              + " bytes, more than "
              + BatchLimits.PAYLOAD_SETTING
              + " ("
              + limits.maxPayloadBytes()
              + " bytes)");
    }
  }

  /**
   * The envelope, then the payload: it opens within {@code max-decompressed-batch-size} to exactly
   * {@code batchSize} records, each a well-formed HStreamRecord flagged JSON or RAW, each JSON one
   * carrying a {@code google.protobuf.Struct}.
   */
  public void validate(BatchedRecord batch) {
    checkEnvelope(batch);
    walkExactly(batch, BatchValidator::checkRecord);
  }

  /**
   * Checks a stored batch before it is handed to a reader: a known compression, and a payload that
   * opens within {@code max-decompressed-batch-size} to exactly {@code batchSize} records. Other
   * limits are not applied: a batch stored under larger ones stays readable. The records themselves
   * are not parsed.
   */
  public void checkStored(BatchedRecord batch) {
    if (batch.getBatchSize() == 0) {
      throw new InvalidBatchException(ErrorCode.StreamEmptyBatchedRecord, "batchSize is 0");
    }
    walkExactly(batch, null);
  }

  /**
   * The records of a stored batch, exactly {@code batchSize} of them.
   *
   * @throws InvalidBatchException as {@link #checkStored}, or when a record does not parse
   */
  public List<HStreamRecord> decode(BatchedRecord batch) {
    List<HStreamRecord> records =
        new ArrayList<>((int) Math.min(Integer.toUnsignedLong(batch.getBatchSize()), 1024));
    walkExactly(batch, (index, bytes) -> records.add(PayloadRecords.record(index, bytes)));
    return records;
  }

  /** Walks the payload, failing unless it holds exactly {@code batchSize} (unsigned) records. */
  private void walkExactly(BatchedRecord batch, PayloadRecords.Visitor visitor) {
    long expected = Integer.toUnsignedLong(batch.getBatchSize());
    int count =
        PayloadRecords.walk(
            batch,
            limits.maxDecompressedBytes(),
            expected,
            () -> countMismatch(expected, "more than " + records(expected)),
            visitor);
    if (count != expected) {
      throw countMismatch(expected, records(count));
    }
  }

  /**
   * A well-formed HStreamRecord flagged JSON or RAW, a JSON one carrying a Struct. Read with {@link
   * RecordWire}, which accepts exactly what {@code HStreamRecord.parseFrom} does without building
   * the record.
   */
  private static void checkRecord(int index, ByteString bytes) {
    RecordWire.Shape record;
    try {
      record = RecordWire.read(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw PayloadRecords.notARecord(index, e);
    }
    int flag = record.flag();
    if (flag != HStreamRecordHeader.Flag.JSON_VALUE && flag != HStreamRecordHeader.Flag.RAW_VALUE) {
      throw InvalidBatchException.malformed(
          "record "
              + index
              + " has flag "
              + Integer.toUnsignedString(flag)
              + "; use JSON (0) or RAW (1)");
    }
    if (flag == HStreamRecordHeader.Flag.JSON_VALUE && !isStruct(record.payload())) {
      throw InvalidBatchException.malformed(
          "record "
              + index
              + " is flagged JSON but its payload is not a serialized google.protobuf.Struct"
              + " (flag it RAW to store other bytes)");
    }
  }

  /** Whether the bytes parse as a Struct with nothing unknown in it, at any depth. */
  static boolean isStruct(ByteString bytes) {
    try {
      return isPure(Struct.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  private static boolean isPure(Message message) {
    if (!message.getUnknownFields().asMap().isEmpty()) {
      return false;
    }
    for (Map.Entry<com.google.protobuf.Descriptors.FieldDescriptor, Object> field :
        message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType()
          != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getValue() instanceof List<?> list) {
        for (Object element : list) {
          if (!isPure((Message) element)) {
            return false;
          }
        }
      } else if (!isPure((Message) field.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static InvalidBatchException countMismatch(long batchSize, String holds) {
    return InvalidBatchException.malformed(
        "batchSize " + batchSize + " does not match the payload, which holds " + holds);
  }

  private static String records(long count) {
    return count == 1 ? "1 record" : count + " records";
  }
}
