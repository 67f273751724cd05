package io.inlet.cluster.metadata;

/** A failure of the replicated metadata; the subclasses say what the caller can do. */
public class MetadataException extends RuntimeException {
  public MetadataException(String message) {
    super(message);
  }

  public MetadataException(String message, Throwable cause) {
    super(message, cause);
  }
}
