package io.inlet.api.record;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.ErrorCode;

/**
 * A batch that cannot be opened or does not hold what it says: its payload does not decompress or
 * parse, it holds another number of records than its {@code batchSize}, a JSON record does not
 * carry a {@code google.protobuf.Struct}, or it is beyond a {@link BatchLimits limit}. The message
 * says which, naming the value or the setting; a server answers INVALID_ARGUMENT.
 *
 * <p>HStreamDB has no error code for a malformed batch: {@code StreamEmptyBatchedRecord} marks
 * batches that are empty or do not open, {@code StreamInvalidRecordSize} batches beyond a limit.
 */
public class InvalidBatchException extends InletException {
  private static final long serialVersionUID = 1L;

  public InvalidBatchException(ErrorCode code, String message) {
    super(code, message);
  }

  /** The batch does not open, or does not hold what it says. */
  static InvalidBatchException malformed(String message) {
    return new InvalidBatchException(ErrorCode.StreamEmptyBatchedRecord, message);
  }

  /** The batch is beyond a limit. */
  static InvalidBatchException tooLarge(String message) {
    return new InvalidBatchException(ErrorCode.StreamInvalidRecordSize, message);
  }
}
