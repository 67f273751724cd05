package io.inlet.sql.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.table.data.RowData;

/**
 * A Flink sink appending rows as HRecords (JSON objects, flag JSON) to an Inlet stream over the
 * public gRPC API. A checkpoint completes only once everything written before it is durable in the
 * stream: at-least-once. Each writer numbers its rows; the number ({@code __seq} attribute, written
 * in changelog mode) is checkpointed, so rows written again after a restore carry the numbers they
 * had, and a reader that remembers the highest number applied can drop the repeats.
 */
public final class InletSink implements Sink<RowData>, SupportsWriterState<RowData, Long> {
  private static final long serialVersionUID = 1L;

  private final String target;
  private final String stream;
  private final RowStructs structs;
  private final boolean changelog;
  private final int batchSize;
  private final Duration flushInterval;

  public InletSink(
      String target,
      String stream,
      RowStructs structs,
      boolean changelog,
      int batchSize,
      Duration flushInterval) {
    this.target = target;
    this.stream = stream;
    this.structs = structs;
    this.changelog = changelog;
    this.batchSize = batchSize;
    this.flushInterval = flushInterval;
  }

  @Override
  public StatefulSinkWriter<RowData, Long> createWriter(WriterInitContext context) {
    return restoreWriter(context, java.util.List.of());
  }

  @Override
  public StatefulSinkWriter<RowData, Long> restoreWriter(
      WriterInitContext context, Collection<Long> state) {
    long seq = 0;
    for (long s : state) {
      seq = Math.max(seq, s);
    }
    String writerId = context.getTaskInfo().getIndexOfThisSubtask() + "";
    return new StreamWriter(
        context, target, stream, structs, changelog, batchSize, flushInterval, writerId, seq);
  }

  @Override
  public SimpleVersionedSerializer<Long> getWriterStateSerializer() {
    return new SimpleVersionedSerializer<>() {
      @Override
      public int getVersion() {
        return 1;
      }

      @Override
      public byte[] serialize(Long seq) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
          out.writeLong(seq);
        }
        return bytes.toByteArray();
      }

      @Override
      public Long deserialize(int version, byte[] serialized) throws IOException {
        return new DataInputStream(new ByteArrayInputStream(serialized)).readLong();
      }
    };
  }
}
