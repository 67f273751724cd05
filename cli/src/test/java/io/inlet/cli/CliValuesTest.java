package io.inlet.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamOffset;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
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
  void received_records_pair_ids_by_position_or_by_batch_index() {
    List<HStreamRecord> records =
        List.of(
            HStreamRecords.raw("k", "a".getBytes(UTF_8), Map.of()),
            HStreamRecords.raw("k", "b".getBytes(UTF_8), Map.of()),
            HStreamRecords.raw("k", "c".getBytes(UTF_8), Map.of()));
    BatchedRecord batch = RecordBatches.encode(records, CompressionType.Gzip);

    // A slice of a batch (a read that started inside it): ids 5-9-1, 5-9-2 for the 2 records.
    ReceivedRecord slice =
        ReceivedRecord.newBuilder()
            .addRecordIds(id(1))
            .addRecordIds(id(2))
            .setRecord(RecordBatches.encode(records.subList(1, 3), CompressionType.None))
            .build();
    assertThat(views(slice)).extracting(RecordView::payloadText).containsExactly("b", "c");

    // A whole batch with fewer ids (a redelivery of what was not acked): by batch index.
    ReceivedRecord partial =
        ReceivedRecord.newBuilder()
            .addRecordIds(id(2))
            .addRecordIds(id(0))
            .setRecord(batch)
            .build();
    assertThat(views(partial)).extracting(RecordView::payloadText).containsExactly("c", "a");

    ReceivedRecord broken =
        ReceivedRecord.newBuilder().addRecordIds(id(7)).setRecord(batch).build();
    assertThat(RecordView.of(broken))
        .containsExactly(
            new ReadEntry.Unreadable(id(7), "it is not in its batch, which holds 3 records"));
  }

  private static List<RecordView> views(ReceivedRecord received) {
    return RecordView.of(received).stream().map(RecordView.class::cast).toList();
  }

  @Test
  void raw_payloads_that_are_not_utf8_show_as_base64() {
    ReceivedRecord received =
        ReceivedRecord.newBuilder()
            .addRecordIds(id(0))
            .setRecord(
                RecordBatches.encode(
                    List.of(HStreamRecords.raw("k", new byte[] {(byte) 0xff, 0}, Map.of())),
                    CompressionType.None))
            .build();
    RecordView view = views(received).get(0);

    assertThat(view.payloadText()).isEqualTo("base64:/wA=");
    assertThat(view.toJson().get("payloadBase64").asText()).isEqualTo("/wA=");
    assertThat(view.toJson().has("payload")).isFalse();
  }

  private static RecordId id(int index) {
    return RecordId.newBuilder().setShardId(5).setBatchId(9).setBatchIndex(index).build();
  }

  @Test
  void table_pads_columns_to_the_widest_cell() {
    StringWriter text = new StringWriter();
    new TextTable("NAME", "SHARDS").row("sensors", 4).row("a", 12).print(new PrintWriter(text));

    assertThat(text.toString().split("\\R"))
        .containsExactly("NAME     SHARDS", "sensors  4", "a        12");
  }
}
