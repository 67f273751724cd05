package io.inlet.sql.flink;

import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;

/**
 * Rows into an Inlet stream. Takes any changelog: by default only inserted and updated rows are
 * written; with {@code sink.changelog} every change is, tagged with its kind.
 */
final class InletTableSink implements DynamicTableSink {
  private final InletSink sink;

  InletTableSink(InletSink sink) {
    this.sink = sink;
  }

  @Override
  public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
    return requestedMode;
  }

  @Override
  public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
    // No fixed parallelism: the planner refuses one for an updating input without a primary key.
    return SinkV2Provider.of(sink);
  }

  @Override
  public DynamicTableSink copy() {
    return new InletTableSink(sink);
  }

  @Override
  public String asSummaryString() {
    return "inlet";
  }
}
