package io.inlet.sql.flink;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.table.data.RowData;

/**
 * A Flink source reading every shard of an Inlet stream over the public gRPC API (ReadShardStream),
 * unbounded. Each shard is a split whose position (the last record emitted) is kept in Flink's
 * checkpoints, so a job restored from a checkpoint goes on where that checkpoint was taken: every
 * record reaches the job at least once, and exactly once into Flink's state.
 */
public final class InletSource implements Source<RowData, ShardSplit, ShardEnumerator.State> {
  private static final long serialVersionUID = 1L;

  private final String target;
  private final String stream;
  private final boolean startLatest;
  private final JsonRows rows;

  /**
   * @param target host:port of a node, or in-process:name
   * @param startLatest whether shards without a checkpointed position start at their tail
   * @param rows how records become rows
   */
  public InletSource(String target, String stream, boolean startLatest, JsonRows rows) {
    this.target = target;
    this.stream = stream;
    this.startLatest = startLatest;
    this.rows = rows;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SplitEnumerator<ShardSplit, ShardEnumerator.State> createEnumerator(
      SplitEnumeratorContext<ShardSplit> context) {
    return new ShardEnumerator(context, target, stream, startLatest, null);
  }

  @Override
  public SplitEnumerator<ShardSplit, ShardEnumerator.State> restoreEnumerator(
      SplitEnumeratorContext<ShardSplit> context, ShardEnumerator.State state) {
    return new ShardEnumerator(context, target, stream, startLatest, state);
  }

  @Override
  public SimpleVersionedSerializer<ShardSplit> getSplitSerializer() {
    return ShardSplit.Serializer.INSTANCE;
  }

  @Override
  public SimpleVersionedSerializer<ShardEnumerator.State> getEnumeratorCheckpointSerializer() {
    return new ShardEnumerator.StateSerializer();
  }

  @Override
  public SourceReader<RowData, ShardSplit> createReader(SourceReaderContext context) {
    return new ShardReader(context, target, rows);
  }
}
