package io.inlet.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.api.error.InletException;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.ErrorCode;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.hstream.ShardOffset;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.StreamOffset;
import io.inlet.api.hstream.TimestampOffset;
import io.inlet.api.record.RecordBatches;
import io.inlet.server.entry.BatchEntries;
import io.inlet.server.testing.GrpcClient;
import io.inlet.store.ShardLog;
import io.inlet.store.StoreOptions;
import io.inlet.store.StreamSpec;
import io.inlet.store.StreamStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetsTest {
  @TempDir Path dir;
  StreamStore store;
  ShardLog log;
  long shard;

  @BeforeEach
  void stream() throws Exception {
    store = StreamStore.open(StoreOptions.defaults(dir));
    log = store.log();
    shard = store.streams().create(new StreamSpec("s", 1, 1, 0)).shards().get(0).shardId();
    for (int i = 0; i < 3; i++) {
      log.append(
              "s",
              shard,
              BatchEntries.entry(
                  RecordBatches.encode(GrpcClient.rawRecords("k", "p", 2), CompressionType.None)))
          .get();
    }
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void record_offsets_of_another_shard_or_beyond_the_tail_are_refused() {
    RecordId other =
        RecordId.newBuilder().setShardId(shard + 1).setBatchId(1).setBatchIndex(0).build();
    assertThatThrownBy(
            () ->
                Offsets.start(log, shard, ShardOffset.newBuilder().setRecordOffset(other).build()))
        .isInstanceOf(InletException.class)
        .hasMessageContaining("belongs to shard " + (shard + 1))
        .satisfies(
            e -> assertThat(((InletException) e).code()).isEqualTo(ErrorCode.StreamInvalidOffset));
    assertThatThrownBy(
            () ->
                Offsets.until(log, shard, ShardOffset.newBuilder().setRecordOffset(other).build()))
        .isInstanceOf(InletException.class);
    RecordId beyond = RecordId.newBuilder().setShardId(shard).setBatchId(5).build();
    assertThatThrownBy(
            () ->
                Offsets.start(log, shard, ShardOffset.newBuilder().setRecordOffset(beyond).build()))
        .hasMessageContaining("beyond the tail of shard")
        .satisfies(
            e -> assertThat(((InletException) e).code()).isEqualTo(ErrorCode.StreamInvalidOffset));
    RecordId last = RecordId.newBuilder().setShardId(shard).setBatchId(3).build();
    assertThat(Offsets.start(log, shard, ShardOffset.newBuilder().setRecordOffset(last).build()))
        .isEqualTo(new RecordPosition(3, 0));
    RecordId next = RecordId.newBuilder().setShardId(shard).setBatchId(4).build();
    assertThat(Offsets.start(log, shard, ShardOffset.newBuilder().setRecordOffset(next).build()))
        .isEqualTo(new RecordPosition(4, 0));
  }

  @Test
  void shard_offsets_become_start_positions() {
    assertThat(Offsets.start(log, shard, (ShardOffset) null)).isEqualTo(new RecordPosition(1, 0));
    assertThat(Offsets.start(log, shard, ShardOffset.getDefaultInstance()))
        .isEqualTo(new RecordPosition(1, 0));
    assertThat(Offsets.start(log, shard, special(SpecialOffset.EARLIEST)))
        .isEqualTo(new RecordPosition(1, 0));
    assertThat(Offsets.start(log, shard, special(SpecialOffset.LATEST)))
        .isEqualTo(new RecordPosition(4, 0));
    RecordId id = RecordId.newBuilder().setShardId(shard).setBatchId(2).setBatchIndex(1).build();
    assertThat(Offsets.start(log, shard, ShardOffset.newBuilder().setRecordOffset(id).build()))
        .isEqualTo(new RecordPosition(2, 1));
    long future = System.currentTimeMillis() + 60_000;
    assertThat(
            Offsets.start(
                log,
                shard,
                ShardOffset.newBuilder()
                    .setTimestampOffset(TimestampOffset.newBuilder().setTimestampInMs(future))
                    .build()))
        .isEqualTo(new RecordPosition(4, 0));
    assertThat(
            Offsets.start(
                log,
                shard,
                StreamOffset.newBuilder()
                    .setTimestampOffset(TimestampOffset.newBuilder().setTimestampInMs(0))
                    .build()))
        .isEqualTo(new RecordPosition(1, 0));
  }

  @Test
  void until_offsets_become_bounds() {
    assertThat(Offsets.until(log, shard, (ShardOffset) null)).isEqualTo(ReadBound.NONE);
    assertThat(Offsets.until(log, shard, special(SpecialOffset.LATEST)))
        .isEqualTo(ReadBound.batch(3));
    assertThat(Offsets.until(log, shard, special(SpecialOffset.EARLIEST)))
        .isEqualTo(ReadBound.batch(0));
    assertThat(
            Offsets.until(
                log,
                shard,
                StreamOffset.newBuilder()
                    .setTimestampOffset(TimestampOffset.newBuilder().setTimestampInMs(42))
                    .build()))
        .isEqualTo(ReadBound.time(42));
  }

  @Test
  void conflicting_explicit_ranges_are_refused() {
    Offsets.checkRange(new RecordPosition(2, 0), ReadBound.record(2, 0));
    Offsets.checkRange(new RecordPosition(5, 0), ReadBound.batch(3)); // LATEST: an empty range
    assertThatThrownBy(() -> Offsets.checkRange(new RecordPosition(2, 1), ReadBound.record(2, 0)))
        .isInstanceOf(InletException.class)
        .satisfies(
            e ->
                assertThat(((InletException) e).code())
                    .isEqualTo(ErrorCode.ShardReaderConflictOffset));
  }

  @Test
  void record_id_text_round_trips() {
    RecordId id = RecordId.newBuilder().setShardId(-1L).setBatchId(7).setBatchIndex(3).build();
    assertThat(Offsets.format(id)).isEqualTo("18446744073709551615-7-3");
    assertThat(Offsets.parse(Offsets.format(id))).isEqualTo(id);
    for (String bad : new String[] {"", "1-2", "a-b-c", "1-2-3-4", "-1-2"}) {
      assertThatThrownBy(() -> Offsets.parse(bad))
          .as(bad)
          .isInstanceOf(InletException.class)
          .satisfies(
              e ->
                  assertThat(((InletException) e).code()).isEqualTo(ErrorCode.StreamInvalidOffset));
    }
  }

  @Test
  void a_cursor_mid_batch_hands_out_the_rest_of_that_batch_then_whole_batches() {
    ShardCursor cursor = new ShardCursor(shard, new RecordPosition(2, 1), ReadBound.record(3, 0));
    var slices = cursor.next(log, 10, Long.MAX_VALUE);
    assertThat(slices)
        .extracting(s -> s.batch().lsn() + ":" + s.from() + "-" + s.to())
        .containsExactly("2:1-2", "3:0-1");
    assertThat(cursor.done()).isTrue();
    var received = Batches.slice(slices.get(0).batch(), 1, 2);
    assertThat(received.getRecordIdsList()).extracting(RecordId::getBatchIndex).containsExactly(1);
    assertThat(RecordBatches.decode(received.getRecord())).hasSize(1);
    assertThat(received.getRecord().getBatchSize()).isEqualTo(1);
  }

  private static ShardOffset special(SpecialOffset s) {
    return ShardOffset.newBuilder().setSpecialOffset(s).build();
  }
}
