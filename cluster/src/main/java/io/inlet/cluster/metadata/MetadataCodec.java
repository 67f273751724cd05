package io.inlet.cluster.metadata;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The wire format of the metadata group's commands (in the Raft log), replies and queries: a format
 * version byte, a kind byte, then the fields big-endian; strings and byte arrays are a 4-byte
 * length then the bytes (strings in UTF-8). A reader refuses a version it does not know with {@link
 * MetadataFormatException}, so a node never misreads what a newer node wrote.
 */
final class MetadataCodec {
  static final int FORMAT = 1;

  private static final int KIND_WRITE = 1;
  private static final int KIND_APPLIED = 2;
  private static final int KIND_CONFLICT = 3;
  private static final int KIND_REJECTED = 4;
  private static final int KIND_GET = 5;
  private static final int KIND_LIST = 6;
  private static final int KIND_ENTRIES = 7;
  private static final int OP_PUT = 1;
  private static final int OP_DELETE = 2;

  /** Longest string or value a message may hold; a longer length is a damaged message. */
  private static final int MAX_FIELD_BYTES = 64 << 20;

  private MetadataCodec() {}

  static byte[] encodeWrite(MetadataWrite write) {
    return encode(
        KIND_WRITE,
        out -> {
          writeString(out, write.namespace());
          out.writeInt(write.operations().size());
          for (MetadataWrite.Operation op : write.operations()) {
            if (op instanceof MetadataWrite.Put put) {
              out.writeByte(OP_PUT);
              writeString(out, put.key());
              out.writeLong(put.expectedVersion());
              writeBytes(out, put.value());
            } else {
              out.writeByte(OP_DELETE);
              writeString(out, op.key());
              out.writeLong(op.expectedVersion());
            }
          }
        });
  }

  static MetadataWrite decodeWrite(byte[] bytes) {
    return decode(
        bytes,
        KIND_WRITE,
        in -> {
          MetadataWrite.Builder builder = MetadataWrite.in(readString(in));
          int count = readCount(in);
          for (int i = 0; i < count; i++) {
            int op = in.readUnsignedByte();
            String key = readString(in);
            long expected = in.readLong();
            switch (op) {
              case OP_PUT -> builder.put(key, readBytes(in), expected);
              case OP_DELETE -> builder.delete(key, expected);
              default -> throw new MetadataFormatException("unknown operation " + op);
            }
          }
          return builder.build();
        });
  }

  static byte[] encodeOutcome(WriteOutcome outcome) {
    if (outcome instanceof WriteOutcome.Applied applied) {
      return encode(KIND_APPLIED, out -> out.writeLong(applied.index()));
    }
    if (outcome instanceof WriteOutcome.Conflict conflict) {
      return encode(
          KIND_CONFLICT,
          out -> {
            writeString(out, conflict.key());
            out.writeLong(conflict.expectedVersion());
            out.writeLong(conflict.actualVersion());
          });
    }
    WriteOutcome.Rejected rejected = (WriteOutcome.Rejected) outcome;
    return encode(KIND_REJECTED, out -> writeString(out, rejected.reason()));
  }

  static WriteOutcome decodeOutcome(byte[] bytes) {
    return decodeAny(
        bytes,
        (kind, in) ->
            switch (kind) {
              case KIND_APPLIED -> new WriteOutcome.Applied(in.readLong());
              case KIND_CONFLICT ->
                  new WriteOutcome.Conflict(readString(in), in.readLong(), in.readLong());
              case KIND_REJECTED -> new WriteOutcome.Rejected(readString(in));
              default -> throw new MetadataFormatException("not a write reply: kind " + kind);
            });
  }

  static byte[] encodeQuery(MetadataQuery query) {
    return encode(
        query.isList() ? KIND_LIST : KIND_GET,
        out -> {
          writeString(out, query.namespace());
          if (!query.isList()) {
            writeString(out, query.key());
          }
        });
  }

  static MetadataQuery decodeQuery(byte[] bytes) {
    return decodeAny(
        bytes,
        (kind, in) ->
            switch (kind) {
              case KIND_GET -> new MetadataQuery(readString(in), readString(in));
              case KIND_LIST -> new MetadataQuery(readString(in), null);
              default -> throw new MetadataFormatException("not a query: kind " + kind);
            });
  }

  static byte[] encodeEntries(NavigableMap<String, MetadataEntry> entries) {
    return encode(KIND_ENTRIES, out -> writeEntries(out, entries));
  }

  static NavigableMap<String, MetadataEntry> decodeEntries(byte[] bytes) {
    return decode(bytes, KIND_ENTRIES, MetadataCodec::readEntries);
  }

  static void writeEntries(DataOutputStream out, NavigableMap<String, MetadataEntry> entries)
      throws IOException {
    out.writeInt(entries.size());
    for (var e : entries.entrySet()) {
      writeString(out, e.getKey());
      out.writeLong(e.getValue().version());
      writeBytes(out, e.getValue().value());
    }
  }

  static NavigableMap<String, MetadataEntry> readEntries(DataInputStream in) throws IOException {
    int count = readCount(in);
    NavigableMap<String, MetadataEntry> entries = new TreeMap<>(MetadataSpace.KEY_ORDER);
    for (int i = 0; i < count; i++) {
      String key = readString(in);
      long version = in.readLong();
      entries.put(key, new MetadataEntry(readBytes(in), version));
    }
    return entries;
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }

  static int readCount(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > MAX_FIELD_BYTES) {
      throw new MetadataFormatException("damaged message: count " + count);
    }
    return count;
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_FIELD_BYTES) {
      throw new MetadataFormatException("damaged message: field of " + length + " bytes");
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new MetadataFormatException("truncated metadata message");
    }
    return bytes;
  }

  static void checkFormat(int format, String what) {
    if (format != FORMAT) {
      throw new MetadataFormatException(
          what + " in format version " + format + "; this node reads version " + FORMAT);
    }
  }

  @FunctionalInterface
  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  @FunctionalInterface
  interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  @FunctionalInterface
  private interface KindReader<T> {
    T read(int kind, DataInputStream in) throws IOException;
  }

  private static byte[] encode(int kind, Writer body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeByte(kind);
      body.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static <T> T decode(byte[] bytes, int expectedKind, Reader<T> body) {
    return decodeAny(
        bytes,
        (kind, in) -> {
          if (kind != expectedKind) {
            throw new MetadataFormatException("expected kind " + expectedKind + ", got " + kind);
          }
          return body.read(in);
        });
  }

  private static <T> T decodeAny(byte[] bytes, KindReader<T> body) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      checkFormat(in.readUnsignedByte(), "metadata message");
      T value = body.read(in.readUnsignedByte(), in);
      if (in.available() > 0) {
        throw new MetadataFormatException(in.available() + " bytes after the end of the message");
      }
      return value;
    } catch (EOFException e) {
      throw new MetadataFormatException("truncated metadata message", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new MetadataFormatException("invalid metadata message: " + e.getMessage(), e);
    }
  }
}
