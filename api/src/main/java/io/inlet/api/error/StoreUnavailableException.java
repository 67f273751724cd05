package io.inlet.api.error;

/**
 * The store cannot serve the request now (full disk, I/O error, shutting down); retrying later may
 * succeed. The server answers UNAVAILABLE. Nothing of a failed write was acknowledged.
 */
public class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreUnavailableException(String message) {
    super(message);
  }
}
