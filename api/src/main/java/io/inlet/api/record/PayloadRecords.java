package io.inlet.api.record;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.inlet.api.hstream.BatchHStreamRecords;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Walks the records of a batch's payload, decompressing as it reads and never past {@code
 * maxDecompressedBytes}: a gzip or zstd bomb fails once the bound is reached, having allocated
 * about that much. Records are skipped without being copied unless a visitor wants them, so
 * counting the records of a batch costs no allocation that grows with it. A payload must be a
 * {@link BatchHStreamRecords} and nothing else: any other field is malformed.
 */
final class PayloadRecords {
  private static final int RECORDS_TAG =
      (BatchHStreamRecords.RECORDS_FIELD_NUMBER << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  /** The largest zstd window accepted: zstd's own default ceiling (128 MiB). */
  private static final int MAX_ZSTD_WINDOW_LOG = 27;

  /** The zstd window accepted whatever the limit: level 19's (8 MiB), which streams may use. */
  private static final int MIN_ZSTD_WINDOW_LOG = 23;

  private PayloadRecords() {}

  /** Receives each record's bytes (a serialized HStreamRecord). */
  interface Visitor {
    void record(int index, ByteString bytes);
  }

  /**
   * Walks the records, handing each to {@code visitor} (or skipping it when null).
   *
   * @param maxRecords the walk fails as soon as there are more records than this; the caller says
   *     what the limit was in {@code tooMany}
   * @return how many records the payload holds
   * @throws InvalidBatchException when the compression type is unknown, the payload does not
   *     decompress or parse, it opens to more than {@code maxDecompressedBytes}, or it holds more
   *     than {@code maxRecords} records
   */
  static int walk(
      BatchedRecord batch,
      int maxDecompressedBytes,
      long maxRecords,
      Supplier<InvalidBatchException> tooMany,
      Visitor visitor) {
    CompressionType type = batch.getCompressionType();
    ByteString payload = batch.getPayload();
    if (type == CompressionType.None) {
      if (payload.size() > maxDecompressedBytes) {
        throw tooLarge(maxDecompressedBytes);
      }
      CodedInputStream input = payload.newCodedInput();
      input.enableAliasing(true); // records handed out share the payload's (immutable) bytes
      return walk(input, type, maxRecords, tooMany, visitor);
    }
    if (type == CompressionType.UNRECOGNIZED) {
      throw unknownCompression(batch.getCompressionTypeValue());
    }
    try (InputStream in = decompressing(payload, type, maxDecompressedBytes)) {
      return walk(CodedInputStream.newInstance(in), type, maxRecords, tooMany, visitor);
    } catch (IOException e) {
      // Opening the stream (a bad gzip header) or closing it.
      throw doesNotDecompress(type, e);
    }
  }

  /** Parses one record a walk handed out. */
  static HStreamRecord record(int index, ByteString bytes) {
    try {
      return HStreamRecord.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw notARecord(index, e);
    }
  }

  static InvalidBatchException notARecord(int index, InvalidProtocolBufferException e) {
    return InvalidBatchException.malformed(
        "record " + index + " is not a serialized HStreamRecord: " + e.getMessage());
  }

  static InvalidBatchException unknownCompression(int value) {
    return InvalidBatchException.malformed(
        "compressionType "
            + Integer.toUnsignedString(value)
            + " is unknown; use None (0), Gzip (1) or Zstd (2)");
  }

  private static int walk(
      CodedInputStream input,
      CompressionType type,
      long maxRecords,
      Supplier<InvalidBatchException> tooMany,
      Visitor visitor) {
    int count = 0;
    try {
      for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
        if (tag != RECORDS_TAG) {
          throw InvalidBatchException.malformed(
              "payload is not a serialized BatchHStreamRecords: it holds field "
                  + WireFormat.getTagFieldNumber(tag)
                  + " (wire type "
                  + WireFormat.getTagWireType(tag)
                  + ") where only records (field 1) may be");
        }
        if (count >= maxRecords) {
          throw tooMany.get();
        }
        if (visitor == null) {
          int length = input.readRawVarint32();
          if (length < 0) {
            throw InvalidBatchException.malformed(
                "payload is not a serialized BatchHStreamRecords: a record has a negative length");
          }
          input.skipRawBytes(length);
        } else {
          visitor.record(count, input.readBytes());
        }
        count++;
      }
    } catch (InvalidProtocolBufferException e) {
      throw InvalidBatchException.malformed(
          (type == CompressionType.None ? "payload" : "payload (decompressed from " + type + ")")
              + " is not a serialized BatchHStreamRecords: "
              + e.getMessage());
    } catch (LimitReached e) {
      throw tooLarge(e.limit);
    } catch (IOException e) {
      throw doesNotDecompress(type, e);
    }
    return count;
  }

  private static InputStream decompressing(ByteString payload, CompressionType type, int limit)
      throws IOException {
    InputStream raw = payload.newInput();
    InputStream plain =
        switch (type) {
          case Gzip -> new GZIPInputStream(raw, 8192);
          case Zstd -> new ZstdInputStreamNoFinalizer(raw).setLongMax(zstdWindowLog(limit));
          default -> throw new IllegalArgumentException("not a compression: " + type);
        };
    return new Bounded(plain, limit);
  }

  /**
   * The largest zstd window accepted for a batch of {@code limit} bytes: what the batch can need,
   * but at least what zstd's levels up to 19 use. A frame that asks for more (levels 20 to 22 or
   * long mode, on streams of unknown size) is refused rather than let the decompressor allocate its
   * window.
   */
  private static int zstdWindowLog(int limit) {
    int log = 32 - Integer.numberOfLeadingZeros(Math.max(1, limit - 1));
    return Math.max(MIN_ZSTD_WINDOW_LOG, Math.min(MAX_ZSTD_WINDOW_LOG, log));
  }

  private static InvalidBatchException tooLarge(int limit) {
    return InvalidBatchException.tooLarge(
        "the batch's payload opens to more than "
            + BatchLimits.DECOMPRESSED_SETTING
            + " ("
            + limit
            + " bytes)");
  }

  private static InvalidBatchException doesNotDecompress(CompressionType type, IOException e) {
    return InvalidBatchException.malformed(
        "payload does not decompress as " + type + ": " + e.getMessage());
  }

  /** Thrown by {@link Bounded} when the decompressed bytes go past the limit. */
  private static final class LimitReached extends IOException {
    private static final long serialVersionUID = 1L;
    final int limit;

    LimitReached(int limit) {
      super("more than " + limit + " bytes");
      this.limit = limit;
    }
  }

  /** Passes at most {@code limit} bytes through; one byte more fails. */
  private static final class Bounded extends FilterInputStream {
    private final int limit;
    private long remaining;

    Bounded(InputStream in, int limit) {
      super(in);
      this.limit = limit;
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && remaining-- <= 0) {
        throw new LimitReached(limit);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      if (remaining <= 0) {
        // At the limit: the payload may end here; anything more is too much.
        if (super.read() >= 0) {
          throw new LimitReached(limit);
        }
        return -1;
      }
      int n = super.read(buffer, offset, (int) Math.min(length, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] scratch = new byte[(int) Math.min(n, 8192)];
      long skipped = 0;
      while (skipped < n) {
        int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
        if (read < 0) {
          break;
        }
        skipped += read;
      }
      return skipped;
    }
  }
}
