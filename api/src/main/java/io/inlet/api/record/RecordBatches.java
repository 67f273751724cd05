package io.inlet.api.record;

import com.github.luben.zstd.Zstd;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.inlet.api.hstream.BatchHStreamRecords;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
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
        .setPayload(ByteString.copyFrom(compress(plain, compression)))
        .build();
  }

  /**
   * The records of a batch.
   *
   * @throws MalformedBatchException when the payload does not decompress or parse
   */
  public static List<HStreamRecord> decode(BatchedRecord batch) {
    byte[] plain = decompress(batch.getPayload().toByteArray(), batch.getCompressionType());
    try {
      return BatchHStreamRecords.parseFrom(plain).getRecordsList();
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedBatchException("payload is not a serialized BatchHStreamRecords", e);
    }
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
        throw new MalformedBatchException("unknown compression type " + compression, null);
    }
  }

  static byte[] decompress(byte[] data, CompressionType compression) {
    try {
      switch (compression) {
        case None:
          return data;
        case Gzip:
          try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return gzip.readAllBytes();
          }
        case Zstd:
          long size = Zstd.getFrameContentSize(data);
          if (size < 0 || size > Integer.MAX_VALUE) {
            return Zstd.decompress(data, 64 << 20);
          }
          return Zstd.decompress(data, (int) size);
        default:
          throw new MalformedBatchException("unknown compression type " + compression, null);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof MalformedBatchException m) {
        throw m;
      }
      throw new MalformedBatchException("payload does not decompress as " + compression, e);
    }
  }

  /** A batch whose payload cannot be opened. */
  public static final class MalformedBatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedBatchException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
