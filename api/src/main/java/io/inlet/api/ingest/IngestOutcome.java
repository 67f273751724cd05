package io.inlet.api.ingest;

/** What became of an inbound message. */
public sealed interface IngestOutcome {

  /** Stored durably as record {@code (shardId, batchId, batchIndex)} of {@code stream}. */
  record Stored(String stream, String ruleName, long shardId, long batchId, int batchIndex)
      implements IngestOutcome {}

  /** No rule's topic filter matched the topic; nothing was stored. */
  record NoMatchingRule(String topic) implements IngestOutcome {}

  /**
   * A rule matched but refused the message (e.g. its payload mode requires a JSON object and the
   * payload is not one); nothing was stored.
   */
  record Rejected(String ruleName, String reason) implements IngestOutcome {}
}
