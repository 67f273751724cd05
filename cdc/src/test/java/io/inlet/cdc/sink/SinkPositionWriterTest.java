package io.inlet.cdc.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.state.KeyValueStore;
import io.inlet.cdc.state.ConnectorStateSpace;
import io.inlet.testing.Await;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SinkPositionWriterTest {
  /** Keeps what is stored and counts the stores (each one an fsync in the node's store). */
  private static final class CountingStore implements KeyValueStore {
    final Map<String, Map<String, byte[]>> namespaces = new ConcurrentHashMap<>();
    final List<Map<String, byte[]>> applies = new ArrayList<>();

    @Override
    public void put(String namespace, String key, byte[] value) {
      apply(namespace, Map.of(key, value), List.of());
    }

    @Override
    public Optional<byte[]> get(String namespace, String key) {
      return Optional.ofNullable(list(namespace).get(key));
    }

    @Override
    public boolean delete(String namespace, String key) {
      return namespaces.getOrDefault(namespace, Map.of()).remove(key) != null;
    }

    @Override
    public Map<String, byte[]> list(String namespace) {
      return new HashMap<>(namespaces.getOrDefault(namespace, Map.of()));
    }

    @Override
    public synchronized void apply(
        String namespace, Map<String, byte[]> puts, Collection<String> deletes) {
      namespaces.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>()).putAll(puts);
      applies.add(puts);
    }

    synchronized int stores() {
      return applies.size();
    }
  }

  private final CountingStore store = new CountingStore();
  private final SinkPositions positions = new SinkPositions(new ConnectorStateSpace(store, "sink"));

  @Test
  void the_first_position_is_stored_at_once_and_later_ones_wait_for_the_interval_or_close()
      throws Exception {
    SinkPositionWriter writer =
        new SinkPositionWriter(positions, "sink", TimeUnit.HOURS.toMillis(1));
    writer.committed(1, 10);
    awaitStores(1);
    assertThat(positions.load()).containsExactly(Map.entry(1L, 10L));

    writer.committed(1, 20);
    writer.committed(2, 5);
    writer.committed(1, 30);
    Thread.sleep(300);
    assertThat(store.stores()).as("stored within the interval").isEqualTo(1);

    writer.close();
    assertThat(store.stores()).as("close stores what is pending, in one go").isEqualTo(2);
    assertThat(positions.load()).containsOnly(Map.entry(1L, 30L), Map.entry(2L, 5L));
  }

  @Test
  void with_no_interval_every_report_is_stored_without_waiting() {
    SinkPositionWriter writer = new SinkPositionWriter(positions, "sink", 0);
    for (long lsn = 1; lsn <= 5; lsn++) {
      writer.committed(1, lsn);
      awaitStores((int) lsn);
    }
    writer.close();
    assertThat(positions.load()).containsExactly(Map.entry(1L, 5L));
  }

  private void awaitStores(int count) {
    Await.until(count + " stores", () -> store.stores() >= count);
  }
}
