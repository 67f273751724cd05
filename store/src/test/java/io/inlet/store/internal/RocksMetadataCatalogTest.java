package io.inlet.store.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.error.StoreUnavailableException;
import io.inlet.store.MetadataCatalog;
import io.inlet.store.StreamSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksMetadataCatalogTest {
  @TempDir Path dir;

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static Map<String, String> text(Map<String, byte[]> entries) {
    Map<String, String> out = new LinkedHashMap<>();
    entries.forEach((k, v) -> out.put(k, new String(v, UTF_8)));
    return out;
  }

  @Test
  void entries_are_written_read_listed_in_key_order_deleted_and_survive_a_restart() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      MetadataCatalog meta = store.metadata();
      meta.put("mqtt.rules", "b", bytes("2"));
      meta.put("mqtt.rules", "a", bytes("1"));
      meta.put("mqtt.rules", "c", bytes("3"));
      meta.put("mqtt.rules", "c", bytes("3'"));

      assertThat(meta.get("mqtt.rules", "c"))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("3'")));
      assertThat(meta.get("mqtt.rules", "zz")).isEmpty();
      assertThat(text(meta.list("mqtt.rules")))
          .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3'"));
      assertThat(meta.delete("mqtt.rules", "b")).isTrue();
      assertThat(meta.delete("mqtt.rules", "b")).isFalse();
    }
    try (RocksStreamStore store = TestStores.open(dir)) {
      assertThat(text(store.metadata().list("mqtt.rules")))
          .containsExactly(Map.entry("a", "1"), Map.entry("c", "3'"));
    }
  }

  @Test
  void namespaces_do_not_see_each_other_even_when_one_name_prefixes_another() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      MetadataCatalog meta = store.metadata();
      meta.put("ns", "k", bytes("short"));
      meta.put("ns.more", "k", bytes("long"));
      meta.put("n", "sk", bytes("other"));

      assertThat(text(meta.list("ns"))).containsExactly(Map.entry("k", "short"));
      assertThat(text(meta.list("ns.more"))).containsExactly(Map.entry("k", "long"));
      assertThat(text(meta.list("n"))).containsExactly(Map.entry("sk", "other"));
      assertThat(meta.list("none")).isEmpty();
    }
  }

  @Test
  void metadata_does_not_disturb_streams_and_streams_do_not_show_up_in_metadata() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      store.streams().create(new StreamSpec("s", 1, 1, 0));
      store.metadata().put("S", "s", bytes("not a stream"));
      assertThat(store.streams().list("")).hasSize(1);
      assertThat(store.metadata().list("S")).hasSize(1);
    }
    try (RocksStreamStore store = TestStores.open(dir)) {
      assertThat(store.streams().get("s")).isPresent();
    }
  }

  @Test
  void apply_writes_puts_and_deletes_together() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      MetadataCatalog meta = store.metadata();
      meta.put("ns", "old", bytes("x"));
      meta.put("ns", "keep", bytes("k"));

      Map<String, byte[]> puts = new LinkedHashMap<>();
      puts.put("new", bytes("n"));
      puts.put("keep", bytes("k2"));
      puts.put("both", bytes("dropped"));
      meta.apply("ns", puts, List.of("old", "both", "absent"));

      assertThat(text(meta.list("ns")))
          .containsExactly(Map.entry("keep", "k2"), Map.entry("new", "n"));
    }
  }

  @Test
  void bad_namespaces_and_keys_are_refused() {
    try (RocksStreamStore store = TestStores.open(dir)) {
      MetadataCatalog meta = store.metadata();
      assertThatThrownBy(() -> meta.put("", "k", bytes("v")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("namespace");
      assertThatThrownBy(() -> meta.put("a\0b", "k", bytes("v")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> meta.put("ns", "", bytes("v")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("key");
      assertThatThrownBy(() -> meta.put("ns", "k", null))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void a_closed_store_refuses_metadata_calls() {
    RocksStreamStore store = TestStores.open(dir);
    MetadataCatalog meta = store.metadata();
    store.close();
    assertThatThrownBy(() -> meta.put("ns", "k", bytes("v")))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> meta.list("ns")).isInstanceOf(StoreUnavailableException.class);
  }
}
