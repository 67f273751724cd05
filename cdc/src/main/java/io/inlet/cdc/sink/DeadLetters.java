package io.inlet.cdc.sink;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.api.append.StreamAppender;
import io.inlet.api.append.StreamProvisioner;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The records a sink could not apply, each as a JSON record of the dead-letter stream: {@code
 * {"error": "...", "stream": "...", "shardId": "...", "lsn": ..., "index": ..., "record": "<the
 * record as text>"}}, keyed like the original. Written (durably) before the sink's position moves
 * past them.
 */
final class DeadLetters {
  private final StreamAppender appender;
  private final StreamProvisioner provisioner;
  private final String stream;
  private final String source;
  private final List<HStreamRecord> pending = new ArrayList<>();

  DeadLetters(
      StreamAppender appender, StreamProvisioner provisioner, String stream, String source) {
    this.appender = appender;
    this.provisioner = provisioner;
    this.stream = stream;
    this.source = source;
  }

  String stream() {
    return stream;
  }

  void add(HStreamRecord record, long shardId, long lsn, int index, String error) {
    Struct letter =
        Struct.newBuilder()
            .putFields("error", text(error))
            .putFields("stream", text(source))
            .putFields("shardId", text(Long.toUnsignedString(shardId)))
            .putFields("lsn", Value.newBuilder().setNumberValue(lsn).build())
            .putFields("index", Value.newBuilder().setNumberValue(index).build())
            .putFields("record", text(HStreamRecords.payloadAsText(record)))
            .build();
    pending.add(HStreamRecords.json(record.getHeader().getKey(), letter, Map.of()));
  }

  int pendingCount() {
    return pending.size();
  }

  /** Appends what was added since the last flush; returns once it is durable. */
  void flush() throws InterruptedException, ExecutionException {
    if (pending.isEmpty()) {
      return;
    }
    if (!provisioner.exists(stream)) {
      provisioner.create(stream, 1);
    }
    long shard = appender.shardForKey(stream, "");
    appender.append(stream, shard, RecordBatches.encode(pending, CompressionType.None)).get();
    pending.clear();
  }

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
