package io.inlet.sql.flink;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown;
import org.apache.flink.table.data.RowData;

/**
 * An Inlet stream as an append-only table. The table's WATERMARK is pushed into the source and
 * generated as records are read (a separate watermark operator after a source of this kind would
 * never let event-time windows fire).
 */
final class InletTableSource implements ScanTableSource, SupportsWatermarkPushDown {
  private final String target;
  private final String stream;
  private final boolean startLatest;
  private final JsonRows rows;
  private WatermarkStrategy<RowData> watermarks = WatermarkStrategy.noWatermarks();

  InletTableSource(String target, String stream, boolean startLatest, JsonRows rows) {
    this.target = target;
    this.stream = stream;
    this.startLatest = startLatest;
    this.rows = rows;
  }

  @Override
  public ChangelogMode getChangelogMode() {
    return ChangelogMode.insertOnly();
  }

  @Override
  public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
    InletSource source = new InletSource(target, stream, startLatest, rows);
    WatermarkStrategy<RowData> strategy = watermarks;
    String name = "inlet:" + stream;
    return new DataStreamScanProvider() {
      @Override
      public DataStream<RowData> produceDataStream(
          ProviderContext providerContext, StreamExecutionEnvironment env) {
        var out = env.fromSource(source, strategy, name);
        providerContext.generateUid("inlet-source").ifPresent(out::uid);
        return out;
      }

      @Override
      public boolean isBounded() {
        return false;
      }
    };
  }

  @Override
  public void applyWatermark(WatermarkStrategy<RowData> watermarkStrategy) {
    this.watermarks = watermarkStrategy;
  }

  @Override
  public DynamicTableSource copy() {
    InletTableSource copy = new InletTableSource(target, stream, startLatest, rows);
    copy.watermarks = watermarks;
    return copy;
  }

  @Override
  public String asSummaryString() {
    return "inlet:" + stream;
  }
}
