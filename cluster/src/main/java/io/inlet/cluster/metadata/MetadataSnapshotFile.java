package io.inlet.cluster.metadata;

import io.inlet.cluster.DurableFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A snapshot of the metadata space on disk: a magic number, the format version, the Raft term and
 * index it covers, the namespaces and their entries, then a CRC32C of everything before it. Written
 * to a temporary file, fsync'd, renamed into place, then the directory is fsync'd.
 */
final class MetadataSnapshotFile {
  private static final int MAGIC = 0x494D_5350; // "IMSP"

  private MetadataSnapshotFile() {}

  /** What a snapshot file holds. */
  record Contents(long term, long index, Map<String, NavigableMap<String, MetadataEntry>> space) {}

  static void write(Path file, Contents contents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeByte(MetadataCodec.FORMAT);
      out.writeLong(contents.term());
      out.writeLong(contents.index());
      out.writeInt(contents.space().size());
      for (var ns : contents.space().entrySet()) {
        MetadataCodec.writeString(out, ns.getKey());
        MetadataCodec.writeEntries(out, ns.getValue());
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes.toByteArray());
    new DataOutputStream(bytes).writeLong(crc.getValue());

    DurableFile.replace(file, bytes.toByteArray());
  }

  /**
   * @throws MetadataFormatException when the file is damaged or of a format this node cannot read
   */
  static Contents read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    if (all.length < 8) {
      throw new MetadataFormatException("metadata snapshot " + file + " is truncated");
    }
    byte[] body = Arrays.copyOf(all, all.length - 8);
    CRC32C crc = new CRC32C();
    crc.update(body);
    if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
      throw new MetadataFormatException("metadata snapshot " + file + " fails its checksum");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      if (in.readInt() != MAGIC) {
        throw new MetadataFormatException(file + " is not a metadata snapshot");
      }
      MetadataCodec.checkFormat(in.readUnsignedByte(), "metadata snapshot " + file);
      long term = in.readLong();
      long index = in.readLong();
      int count = MetadataCodec.readCount(in);
      Map<String, NavigableMap<String, MetadataEntry>> space = new TreeMap<>();
      for (int i = 0; i < count; i++) {
        space.put(MetadataCodec.readString(in), MetadataCodec.readEntries(in));
      }
      return new Contents(term, index, space);
    } catch (EOFException e) {
      throw new MetadataFormatException("metadata snapshot " + file + " is truncated", e);
    }
  }
}
