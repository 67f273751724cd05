package io.inlet.testing.history;

import java.util.List;

/**
 * One append as a client made it: a gRPC Append of a batch, or an MQTT publish of one message.
 *
 * @param client who sent it; one client sends one attempt at a time or stamps show the overlap
 * @param stream the stream it went to
 * @param shardId the shard the client named, or {@link #SHARD_CHOSEN_BY_SERVER} (MQTT: the rule's
 *     key picks the shard)
 * @param payloadIds the records' payload ids in the order sent (unique in the whole history)
 * @param outcome how it ended
 * @param recordIds with {@link Outcome#OK}: one id per record when the protocol hands ids out (gRPC
 *     Append), empty when it does not (an MQTT PUBACK)
 * @param invoked the history's clock when it was sent
 * @param completed the history's clock when its outcome was known ({@link Long#MAX_VALUE} while
 *     pending)
 * @param detail the error, for failed and unknown outcomes ("" otherwise)
 */
public record AppendAttempt(
    String client,
    String stream,
    long shardId,
    List<String> payloadIds,
    Outcome outcome,
    List<RecordId> recordIds,
    long invoked,
    long completed,
    String detail) {
  /** The shard of an attempt whose shard the server chose. */
  public static final long SHARD_CHOSEN_BY_SERVER = -1;

  public AppendAttempt {
    payloadIds = List.copyOf(payloadIds);
    recordIds = List.copyOf(recordIds);
    if (payloadIds.isEmpty()) {
      throw new IllegalArgumentException("an attempt appends at least one record");
    }
    if (!recordIds.isEmpty() && recordIds.size() != payloadIds.size()) {
      throw new IllegalArgumentException(
          recordIds.size() + " record ids for " + payloadIds.size() + " records");
    }
  }

  public boolean acknowledged() {
    return outcome == Outcome.OK;
  }
}
