package io.inlet.api.record;

import com.github.luben.zstd.Zstd;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import io.inlet.api.hstream.BatchHStreamRecords;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Builds and opens {@link BatchedRecord}s the way HStreamDB clients do: the payload is a serialized
 * {@link BatchHStreamRecords}, compressed with gzip or zstd or not at all.
 */
public final class RecordBatches {
  private RecordBatches() {}

  public static BatchedRecord encode(List<HStreamRecord> records, CompressionType compression) {
    byte[] plain = BatchHStreamRecords.newBuilder().addAllRecords(records).build().toByteArray();
    Instant now = Instant.now();
    return BatchedRecord.newBuilder()
        .setCompressionType(compression)
        .setBatchSize(records.size())
        .setPublishTime(
            Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        // compress returns an array of its own (or plain, ours): nobody changes it, no copy needed
        .setPayload(UnsafeByteOperations.unsafeWrap(compress(plain, compression)))
        .build();
  }

  /**
   * The records of a batch, as many as its payload holds (whatever its {@code batchSize} says).
   * Decompression stops at {@link BatchLimits#DECOMPRESSED_CEILING}.
   *
   * @throws InvalidBatchException when the payload does not decompress or parse
   */
  public static List<HStreamRecord> decode(BatchedRecord batch) {
    List<HStreamRecord> records = new ArrayList<>();
    PayloadRecords.walk(
        batch,
        BatchLimits.DECOMPRESSED_CEILING,
        Long.MAX_VALUE,
        () -> InvalidBatchException.tooLarge("more than " + Long.MAX_VALUE + " records"),
        (index, bytes) -> records.add(PayloadRecords.record(index, bytes)));
    return records;
  }

  static byte[] compress(byte[] plain, CompressionType compression) {
    switch (compression) {
      case None:
        return plain;
      case Gzip:
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
          try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(plain);
          }
          return bytes.toByteArray();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      case Zstd:
        return Zstd.compress(plain);
      default:
        throw new IllegalArgumentException("cannot compress with " + compression);
    }
  }
}
