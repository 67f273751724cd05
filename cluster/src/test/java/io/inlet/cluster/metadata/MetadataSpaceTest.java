package io.inlet.cluster.metadata;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MetadataSpaceTest {
  private final MetadataSpace space = new MetadataSpace();

  @Test
  void a_put_sets_the_version_to_its_log_index() {
    var result = space.apply(MetadataWrite.put("ns", "k", bytes("v")), 7);

    assertThat(result.outcome()).isEqualTo(new WriteOutcome.Applied(7));
    assertThat(result.change().puts()).containsOnlyKeys("k");
    assertThat(space.get("ns", "k")).contains(new MetadataEntry(bytes("v"), 7));
  }

  @Test
  void create_if_absent_fails_when_the_key_exists_and_changes_nothing() {
    space.apply(MetadataWrite.create("streams", "s1", bytes("a")), 3);

    var second = space.apply(MetadataWrite.create("streams", "s1", bytes("b")), 4);

    assertThat(second.outcome()).isEqualTo(new WriteOutcome.Conflict("s1", 0, 3));
    assertThat(second.change()).isNull();
    assertThat(space.get("streams", "s1")).contains(new MetadataEntry(bytes("a"), 3));
  }

  @Test
  void one_stale_version_in_a_multi_key_write_applies_none_of_it() {
    space.apply(MetadataWrite.in("ns").put("a", bytes("1")).put("b", bytes("1")).build(), 5);

    var stale =
        space.apply(
            MetadataWrite.in("ns")
                .put("a", bytes("2"), 5)
                .delete("b", 4)
                .put("c", bytes("2"))
                .build(),
            6);
    var fresh =
        space.apply(MetadataWrite.in("ns").put("a", bytes("2"), 5).delete("b", 5).build(), 7);

    assertThat(stale.outcome()).isEqualTo(new WriteOutcome.Conflict("b", 4, 5));
    assertThat(fresh.outcome()).isEqualTo(new WriteOutcome.Applied(7));
    assertThat(space.list("ns")).containsOnlyKeys("a");
    assertThat(space.get("ns", "a").orElseThrow().version()).isEqualTo(7);
  }

  @Test
  void deleting_a_missing_key_changes_nothing_and_keys_list_in_utf8_order() {
    var result = space.apply(MetadataWrite.delete("ns", "missing"), 2);
    assertThat(result.change().deletes()).isEmpty();

    space.apply(
        MetadataWrite.in("ns").put("\uFF61", bytes("x")).put("\uD83D\uDE00", bytes("y")).build(),
        3);
    // UTF-16 order puts the surrogate pair first; UTF-8 byte order puts it last.
    assertThat(space.list("ns").keySet()).containsExactly("\uFF61", "\uD83D\uDE00");
  }

  @Test
  void replacing_the_space_reports_what_differs() {
    space.apply(
        MetadataWrite.in("ns").put("kept", bytes("1")).put("dropped", bytes("1")).build(), 2);
    NavigableMap<String, MetadataEntry> next = new TreeMap<>(MetadataSpace.KEY_ORDER);
    next.put("kept", new MetadataEntry(bytes("1"), 2));
    next.put("added", new MetadataEntry(bytes("2"), 9));

    var changes = space.replaceWith(Map.of("ns", next), 9);

    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).puts()).containsOnlyKeys("added");
    assertThat(changes.get(0).deletes()).containsExactly("dropped");
    assertThat(space.list("ns")).containsOnlyKeys("added", "kept");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
