package io.inlet.cluster.metadata;

/**
 * No leader backed by a majority of the voters answered in time (a minority partition, most voters
 * down, an election in progress). A write that fails this way was not acknowledged; it may still be
 * committed later if it reached a leader, so retry with a compare-and-set or an idempotent write.
 */
public class MetadataUnavailableException extends MetadataException {
  public MetadataUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
