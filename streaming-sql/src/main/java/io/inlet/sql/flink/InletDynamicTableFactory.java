package io.inlet.sql.flink;

import static io.inlet.sql.flink.InletConnectorOptions.EVENT_TIME_FIELD;
import static io.inlet.sql.flink.InletConnectorOptions.SINK_BATCH_SIZE;
import static io.inlet.sql.flink.InletConnectorOptions.SINK_CHANGELOG;
import static io.inlet.sql.flink.InletConnectorOptions.SINK_FLUSH_INTERVAL;
import static io.inlet.sql.flink.InletConnectorOptions.STARTUP_MODE;
import static io.inlet.sql.flink.InletConnectorOptions.STREAM;
import static io.inlet.sql.flink.InletConnectorOptions.TARGET;

import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The {@code inlet} table connector: {@code CREATE TABLE t (...) WITH ('connector' = 'inlet',
 * 'target' = 'host:port', 'stream' = 's')} reads stream s as a table and writes rows into it.
 */
public final class InletDynamicTableFactory
    implements DynamicTableSourceFactory, DynamicTableSinkFactory {
  public static final String IDENTIFIER = "inlet";

  @Override
  public String factoryIdentifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(TARGET, STREAM);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(
        STARTUP_MODE, EVENT_TIME_FIELD, SINK_CHANGELOG, SINK_FLUSH_INTERVAL, SINK_BATCH_SIZE);
  }

  @Override
  public DynamicTableSource createDynamicTableSource(Context context) {
    FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
    helper.validate();
    ReadableConfig options = helper.getOptions();
    DataType rowType = context.getPhysicalRowDataType();
    JsonRows rows =
        new JsonRows(
            names(rowType), types(rowType), options.getOptional(EVENT_TIME_FIELD).orElse(null));
    return new InletTableSource(
        options.get(TARGET),
        options.get(STREAM),
        options.get(STARTUP_MODE) == InletConnectorOptions.StartupMode.LATEST,
        rows);
  }

  @Override
  public DynamicTableSink createDynamicTableSink(Context context) {
    FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
    helper.validate();
    ReadableConfig options = helper.getOptions();
    DataType rowType = context.getPhysicalRowDataType();
    return new InletTableSink(
        new InletSink(
            options.get(TARGET),
            options.get(STREAM),
            new RowStructs(names(rowType), types(rowType)),
            options.get(SINK_CHANGELOG),
            options.get(SINK_BATCH_SIZE),
            options.get(SINK_FLUSH_INTERVAL)));
  }

  private static List<String> names(DataType rowType) {
    return ((RowType) rowType.getLogicalType()).getFieldNames();
  }

  private static List<LogicalType> types(DataType rowType) {
    return ((RowType) rowType.getLogicalType()).getChildren();
  }
}
