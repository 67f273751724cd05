package io.inlet.api.record;

/**
 * How large a {@link io.inlet.api.hstream.BatchedRecord} may be. The server's settings {@code
 * max-record-size}, {@code max-decompressed-batch-size} and {@code max-batch-records} fill it.
 *
 * @param maxPayloadBytes the payload as received (compressed or not)
 * @param maxDecompressedBytes the payload once decompressed: what opening a batch may allocate
 * @param maxRecords the records of one batch ({@code batchSize})
 */
public record BatchLimits(int maxPayloadBytes, int maxDecompressedBytes, int maxRecords) {

  /** The settings' names, for messages that tell a client which limit it hit. */
  public static final String PAYLOAD_SETTING = "max-record-size";

  public static final String DECOMPRESSED_SETTING = "max-decompressed-batch-size";
  public static final String RECORDS_SETTING = "max-batch-records";

  /**
   * The most a batch may open to under any setting: the ceiling of {@code
   * max-decompressed-batch-size}, and what clients allow when they decode a batch.
   */
  public static final int DECOMPRESSED_CEILING = 256 << 20;

  public BatchLimits {
    if (maxPayloadBytes < 1 || maxDecompressedBytes < 1 || maxRecords < 1) {
      throw new IllegalArgumentException(
          "batch limits must be positive: "
              + maxPayloadBytes
              + ", "
              + maxDecompressedBytes
              + ", "
              + maxRecords);
    }
  }
}
