package io.inlet.api.record;

import io.inlet.api.config.ConfigException;
import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.config.ValueParsers;
import java.util.List;

/**
 * The settings of {@link BatchLimits}: how large a batch an Append (and any other ingress) may
 * carry.
 */
public final class BatchLimitsConfigKeys {
  private BatchLimitsConfigKeys() {}

  public static final Option<Integer> MAX_RECORD_SIZE =
      Option.of(
          BatchLimits.PAYLOAD_SETTING,
          "size",
          "bytes",
          "1MiB",
          "Largest batch payload an Append accepts, as received (compressed or not).",
          ValueParsers.byteSize(1, 256 << 20));

  public static final Option<Integer> MAX_DECOMPRESSED_BATCH_SIZE =
      Option.of(
          BatchLimits.DECOMPRESSED_SETTING,
          "size",
          "bytes",
          "16MiB",
          "Largest batch payload once decompressed; Append refuses a larger one and decompression"
              + " stops there (a gzip or zstd bomb allocates no more). Also what reading a stored"
              + " batch may open: never lower it below batches already stored. At least"
              + " max-record-size.",
          ValueParsers.byteSize(1, BatchLimits.DECOMPRESSED_CEILING));

  public static final Option<Integer> MAX_BATCH_RECORDS =
      Option.of(
          BatchLimits.RECORDS_SETTING,
          "integer",
          "",
          "100000",
          "Most records one Append may carry (its batchSize).",
          ValueParsers.intRange(1, 1_000_000));

  /** Every option of this class, in the order the reference lists them. */
  public static final List<Option<?>> ALL =
      List.of(MAX_RECORD_SIZE, MAX_DECOMPRESSED_BATCH_SIZE, MAX_BATCH_RECORDS);

  /**
   * The limits from the settings.
   *
   * @throws ConfigException when the decompressed limit is below the payload limit
   */
  public static BatchLimits batchLimits(OptionValues values) {
    int payload = values.get(MAX_RECORD_SIZE);
    int decompressed = values.get(MAX_DECOMPRESSED_BATCH_SIZE);
    if (decompressed < payload) {
      throw new ConfigException(
          MAX_DECOMPRESSED_BATCH_SIZE.key()
              + " must be at least "
              + MAX_RECORD_SIZE.key()
              + " ("
              + payload
              + " bytes), found: "
              + decompressed);
    }
    return new BatchLimits(payload, decompressed, values.get(MAX_BATCH_RECORDS));
  }
}
