package io.inlet.cluster.metadata;

/**
 * Bytes that are not a command, reply, query or snapshot of a format this node reads: an unknown
 * format version (written by a newer node), a truncated message, a bad checksum.
 */
public class MetadataFormatException extends MetadataException {
  public MetadataFormatException(String message) {
    super(message);
  }

  public MetadataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
