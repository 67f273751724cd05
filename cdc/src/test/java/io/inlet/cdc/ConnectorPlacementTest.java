package io.inlet.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.state.KeyValueStore;
import io.inlet.cdc.config.ConnectorType;
import io.inlet.cdc.config.Target;
import io.inlet.cdc.runtime.ConnectorStatus;
import io.inlet.cdc.state.ConnectorDefinition;
import io.inlet.cdc.state.ConnectorRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Which saved connectors a node runs as its placement changes: what reconcile starts and stops. The
 * connectors are saved paused, so none of them reaches a database (they run nothing while paused);
 * the store is the shared state another node would have written.
 */
class ConnectorPlacementTest {
  private final KeyValueStore shared = new MemoryKeyValueStore();
  private final Set<String> here = ConcurrentHashMap.newKeySet();
  private final ConnectorRuntime runtime =
      new ConnectorRuntime(shared, null, null, null).placedBy(here::contains);

  private void saved(String name) {
    new ConnectorRepository(shared)
        .save(
            new ConnectorDefinition(
                name,
                ConnectorType.SINK,
                Target.POSTGRESQL,
                Map.of(
                    "stream",
                    "s",
                    "host",
                    "db",
                    "user",
                    "u",
                    "password",
                    "p",
                    "database",
                    "d",
                    "table",
                    "t"),
                Instant.now(),
                true));
  }

  private Set<String> running() {
    return Set.copyOf(runtime.list().stream().map(ConnectorView::name).toList());
  }

  @Test
  void reconcile_starts_the_connectors_placed_here_and_stops_those_placed_elsewhere() {
    saved("a");
    saved("b");
    here.add("a");
    runtime.start();
    assertThat(running()).containsExactly("a");

    here.add("b");
    runtime.reconcile();
    assertThat(running()).containsExactlyInAnyOrder("a", "b");
    assertThat(runtime.get("b").status().state()).isEqualTo(ConnectorStatus.State.PAUSED);

    here.remove("a");
    runtime.reconcile();
    assertThat(running()).containsExactly("b");

    new ConnectorRepository(shared).delete("b");
    runtime.reconcile();
    assertThat(running()).isEmpty();
  }

  @Test
  void a_call_about_a_connector_placed_here_starts_it_and_one_placed_elsewhere_is_unavailable() {
    saved("a");
    runtime.start();
    assertThatThrownBy(() -> runtime.get("a"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("runs on another node");
    here.add("a");
    assertThat(runtime.get("a").name()).isEqualTo("a");
    assertThatThrownBy(() -> runtime.get("nope"))
        .isInstanceOf(InletException.class)
        .hasMessageContaining("not found");
  }

  /** The key-value contract in memory (durability is not what these tests are about). */
  private static final class MemoryKeyValueStore implements KeyValueStore {
    private final Map<String, TreeMap<String, byte[]>> spaces = new ConcurrentHashMap<>();

    private TreeMap<String, byte[]> space(String namespace) {
      return spaces.computeIfAbsent(namespace, n -> new TreeMap<>());
    }

    @Override
    public synchronized void put(String namespace, String key, byte[] value) {
      space(namespace).put(key, value.clone());
    }

    @Override
    public synchronized Optional<byte[]> get(String namespace, String key) {
      return Optional.ofNullable(space(namespace).get(key));
    }

    @Override
    public synchronized boolean delete(String namespace, String key) {
      return space(namespace).remove(key) != null;
    }

    @Override
    public synchronized Map<String, byte[]> list(String namespace) {
      return java.util.Collections.unmodifiableMap(new TreeMap<>(space(namespace)));
    }

    @Override
    public synchronized void apply(
        String namespace, Map<String, byte[]> puts, Collection<String> deletes) {
      space(namespace).putAll(puts);
      deletes.forEach(space(namespace)::remove);
    }
  }
}
