package io.inlet.cluster.metadata;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataCodecTest {

  @Test
  void a_write_round_trips_with_every_operation_and_expected_version() {
    MetadataWrite write =
        MetadataWrite.in("mqtt.rules")
            .put("sensors/+/temp", "{\"stream\":\"t\"}".getBytes(UTF_8), MetadataWrite.ABSENT)
            .put("é-ключ", new byte[0])
            .delete("old", 42)
            .delete("gone")
            .build();

    MetadataWrite decoded = MetadataCodec.decodeWrite(MetadataCodec.encodeWrite(write));

    assertThat(decoded.namespace()).isEqualTo("mqtt.rules");
    assertThat(decoded.operations()).hasSize(4);
    var put = (MetadataWrite.Put) decoded.operations().get(0);
    assertThat(put.key()).isEqualTo("sensors/+/temp");
    assertThat(new String(put.value(), UTF_8)).isEqualTo("{\"stream\":\"t\"}");
    assertThat(put.expectedVersion()).isEqualTo(MetadataWrite.ABSENT);
    assertThat(decoded.operations().get(1).key()).isEqualTo("é-ключ");
    assertThat(decoded.operations().get(1).expectedVersion()).isEqualTo(MetadataWrite.ANY);
    assertThat(decoded.operations().get(2)).isEqualTo(new MetadataWrite.Delete("old", 42));
    assertThat(decoded.operations().get(3)).isEqualTo(new MetadataWrite.Delete("gone", -1));
  }

  @Test
  void replies_queries_and_entries_round_trip() {
    for (WriteOutcome outcome :
        new WriteOutcome[] {
          new WriteOutcome.Applied(17),
          new WriteOutcome.Conflict("k", 0, 12),
          new WriteOutcome.Rejected("format 9")
        }) {
      assertThat(MetadataCodec.decodeOutcome(MetadataCodec.encodeOutcome(outcome)))
          .isEqualTo(outcome);
    }
    for (MetadataQuery query :
        new MetadataQuery[] {new MetadataQuery("ns", "k"), new MetadataQuery("ns", null)}) {
      assertThat(MetadataCodec.decodeQuery(MetadataCodec.encodeQuery(query))).isEqualTo(query);
    }
    NavigableMap<String, MetadataEntry> entries = new TreeMap<>(MetadataSpace.KEY_ORDER);
    entries.put("a", new MetadataEntry(new byte[] {1, 2}, 3));
    entries.put("b", new MetadataEntry(new byte[0], 9));
    assertThat(MetadataCodec.decodeEntries(MetadataCodec.encodeEntries(entries)))
        .containsExactlyEntriesOf(entries);
  }

  @Test
  void an_unknown_format_version_is_refused_with_both_versions_named() {
    byte[] command = MetadataCodec.encodeWrite(MetadataWrite.put("ns", "k", new byte[] {1}));
    command[0] = 9;

    assertThatThrownBy(() -> MetadataCodec.decodeWrite(command))
        .isInstanceOf(MetadataFormatException.class)
        .hasMessageContaining("format version 9")
        .hasMessageContaining("reads version 1");
  }

  @Test
  void truncated_and_padded_messages_are_refused() {
    byte[] command = MetadataCodec.encodeWrite(MetadataWrite.put("ns", "key", new byte[] {1, 2}));
    for (int length = 0; length < command.length; length++) {
      byte[] truncated = Arrays.copyOf(command, length);
      assertThatThrownBy(() -> MetadataCodec.decodeWrite(truncated))
          .as("%d of %d bytes", length, command.length)
          .isInstanceOf(MetadataFormatException.class);
    }
    byte[] padded = Arrays.copyOf(command, command.length + 1);
    assertThatThrownBy(() -> MetadataCodec.decodeWrite(padded))
        .isInstanceOf(MetadataFormatException.class)
        .hasMessageContaining("after the end");
  }

  @Test
  void a_snapshot_file_round_trips_and_a_damaged_one_is_refused(@TempDir Path dir)
      throws Exception {
    NavigableMap<String, MetadataEntry> rules = new TreeMap<>(MetadataSpace.KEY_ORDER);
    rules.put("r1", new MetadataEntry("x".getBytes(UTF_8), 5));
    Path file = dir.resolve("snapshot.2_7");
    MetadataSnapshotFile.write(
        file, new MetadataSnapshotFile.Contents(2, 7, Map.of("mqtt.rules", rules)));

    MetadataSnapshotFile.Contents read = MetadataSnapshotFile.read(file);
    assertThat(read.term()).isEqualTo(2);
    assertThat(read.index()).isEqualTo(7);
    assertThat(read.space().get("mqtt.rules")).containsExactlyEntriesOf(rules);
    assertThat(Files.list(dir)).containsExactly(file);

    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> MetadataSnapshotFile.read(file))
        .isInstanceOf(MetadataFormatException.class)
        .hasMessageContaining("checksum");
  }
}
