package io.inlet.cdc.sink;

import io.inlet.api.hstream.HStreamRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * One database transaction of a sink, as read from one shard: the rows to apply in stream order,
 * the records refused before reaching the database (not JSON, no key), and the shard's position
 * once it is committed: {@code after}, the LSN after its last batch (transactions hold whole
 * batches only).
 */
final class SinkTransaction {
  final long shard;
  final List<Change> changes = new ArrayList<>();
  final List<Refusal> refusals = new ArrayList<>();
  long after;
  long oldestAppendMs = Long.MAX_VALUE;
  long bytes;

  /** The rows bound ahead to their statements, by the loop, for the writer to execute. */
  StatementSet statements;

  SinkTransaction(long shard) {
    this.shard = shard;
  }

  /** A record of the stream, where it was ({@code index} within the batch at {@code lsn}). */
  record Source(HStreamRecord record, long shard, long lsn, int index) {}

  /** A record and the row change it asks of the table. */
  record Change(Source source, SinkRow row) {}

  /** A record and why it cannot be applied. */
  record Refusal(Source source, String error) {}
}
