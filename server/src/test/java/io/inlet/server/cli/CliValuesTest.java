package io.inlet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamOffset;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** Parsing of option values and plain-text layout. */
class CliValuesTest {

  @Test
  void server_address_forms() {
    assertThat(ServerAddress.parse("10.0.0.5:7000")).isEqualTo(new ServerAddress("10.0.0.5", 7000));
    assertThat(ServerAddress.parse("inlet.local"))
        .isEqualTo(new ServerAddress("inlet.local", 6570));
    assertThat(ServerAddress.parse("[::1]:6571")).isEqualTo(new ServerAddress("::1", 6571));
    assertThat(ServerAddress.parse("[::1]:6571").toString()).isEqualTo("[::1]:6571");
    for (String bad : new String[] {"", ":6570", "host:0", "host:70000", "host:x", "::1", "[::1"}) {
      assertThatThrownBy(() -> ServerAddress.parse(bad))
          .as(bad)
          .isInstanceOf(TypeConversionException.class);
    }
  }

  @Test
  void record_ids_round_trip_as_shard_batch_index() {
    RecordId id = RecordId.newBuilder().setShardId(-1L).setBatchId(42).setBatchIndex(7).build();

    assertThat(RecordIds.format(id)).isEqualTo("18446744073709551615-42-7");
    assertThat(RecordIds.parse("18446744073709551615-42-7")).isEqualTo(id);
    assertThatThrownBy(() -> RecordIds.parse("1-2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecordIds.parse("1-x-0")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void read_positions_map_to_wire_offsets() {
    assertThat(ReadPosition.parse("EARLIEST").toStreamOffset())
        .isEqualTo(StreamOffset.newBuilder().setSpecialOffset(SpecialOffset.EARLIEST).build());
    assertThat(ReadPosition.parse("latest").toShardOffset())
        .isEqualTo(ShardOffset.newBuilder().setSpecialOffset(SpecialOffset.LATEST).build());
    assertThat(
            ReadPosition.parse("@1700000000000")
                .toStreamOffset()
                .getTimestampOffset()
                .getTimestampInMs())
        .isEqualTo(1_700_000_000_000L);
    ReadPosition recordId = ReadPosition.parse("3-10-2");
    assertThat(recordId.isRecordId()).isTrue();
    assertThat(recordId.toShardOffset().getRecordOffset())
        .isEqualTo(RecordId.newBuilder().setShardId(3).setBatchId(10).setBatchIndex(2).build());
    assertThatThrownBy(() -> ReadPosition.parse("@-5")).isInstanceOf(TypeConversionException.class);
  }

  @Test
  void table_pads_columns_to_the_widest_cell() {
    StringWriter text = new StringWriter();
    new Table("NAME", "SHARDS").row("sensors", 4).row("a", 12).print(new PrintWriter(text));

    assertThat(text.toString().split("\\R"))
        .containsExactly("NAME     SHARDS", "sensors  4", "a        12");
  }
}
