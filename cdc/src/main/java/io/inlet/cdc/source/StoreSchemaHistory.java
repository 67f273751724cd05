package io.inlet.cdc.source;

import io.debezium.config.Configuration;
import io.debezium.document.DocumentReader;
import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.AbstractSchemaHistory;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;
import io.inlet.api.state.KeyValueStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Debezium's schema history (the DDL a binlog/CDC connector replays to decode older changes) in the
 * node's {@link KeyValueStore}, one namespace per connector, each record under a zero-padded
 * sequence number so the namespace's key order is the history's order. Each record is durable when
 * {@code storeRecord} returns.
 */
public final class StoreSchemaHistory extends AbstractSchemaHistory {
  private static final String PREFIX = "schema.history.internal.";
  private KeyValueStore store;
  private String namespace;
  private long next;

  public StoreSchemaHistory() {}

  @Override
  public void configure(
      Configuration config,
      HistoryRecordComparator comparator,
      SchemaHistoryListener listener,
      boolean useCatalogBeforeSchema) {
    super.configure(config, comparator, listener, useCatalogBeforeSchema);
    String id = config.getString(PREFIX + StateHandles.KEY);
    if (id == null) {
      id = config.getString(StateHandles.KEY);
    }
    var space = StateHandles.lookup(id);
    store = space.store();
    namespace = space.schemaHistory();
  }

  @Override
  public synchronized void start() {
    super.start();
    Map<String, byte[]> records = store.list(namespace);
    next = records.isEmpty() ? 0 : Long.parseLong(lastKey(records)) + 1;
  }

  @Override
  protected synchronized void storeRecord(HistoryRecord record) throws SchemaHistoryException {
    String json;
    try {
      json = DocumentWriter.defaultWriter().write(record.document());
    } catch (IOException e) {
      throw new SchemaHistoryException("cannot encode a schema history record", e);
    }
    try {
      store.put(namespace, String.format("%019d", next), json.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new SchemaHistoryException("cannot store the schema history: " + e.getMessage(), e);
    }
    next++;
  }

  @Override
  protected synchronized void recoverRecords(Consumer<HistoryRecord> records) {
    for (byte[] value : store.list(namespace).values()) {
      try {
        records.accept(
            new HistoryRecord(
                DocumentReader.defaultReader().read(new String(value, StandardCharsets.UTF_8))));
      } catch (IOException e) {
        throw new SchemaHistoryException("a stored schema history record does not parse", e);
      }
    }
  }

  @Override
  public boolean storageExists() {
    return true;
  }

  @Override
  public boolean exists() {
    return !store.list(namespace).isEmpty();
  }

  private static String lastKey(Map<String, byte[]> records) {
    String last = null;
    for (String key : records.keySet()) {
      last = key;
    }
    return last;
  }

  @Override
  public String toString() {
    return "inlet store (" + namespace + ")";
  }
}
