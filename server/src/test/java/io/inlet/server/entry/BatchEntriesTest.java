package io.inlet.server.entry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import io.inlet.store.Entry;
import io.inlet.store.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchEntriesTest {

  @Test
  void a_batch_comes_back_as_sent_with_its_append_time_as_publish_time_and_its_bytes_shared() {
    BatchedRecord sent =
        RecordBatches.encode(
                List.of(
                    HStreamRecords.raw("k", "one".getBytes(StandardCharsets.UTF_8), Map.of()),
                    HStreamRecords.raw("k", "two".getBytes(StandardCharsets.UTF_8), Map.of())),
                CompressionType.Gzip)
            .toBuilder()
            .setPublishTime(Timestamp.newBuilder().setSeconds(1)) // a client's, not kept
            .build();

    Entry entry = BatchEntries.entry(sent);
    BatchedRecord read = BatchEntries.batch(new StoredEntry(7, 3, 1_700_000_000_123L, entry));

    assertThat(entry.recordCount()).isEqualTo(2);
    assertThat(entry.format()).isEqualTo(CompressionType.Gzip_VALUE);
    assertThat(entry.payload()).as("no copy on append").isSameAs(sent.getPayload());
    assertThat(read.getPayload()).as("no copy on read").isSameAs(entry.payload());
    assertThat(read)
        .isEqualTo(
            sent.toBuilder()
                .setPublishTime(
                    Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(123_000_000))
                .build());
    assertThat(RecordBatches.decode(read)).isEqualTo(RecordBatches.decode(sent));
  }

  @Test
  void a_record_count_above_two_billion_survives_as_the_unsigned_batch_size() {
    BatchedRecord lying = BatchedRecord.newBuilder().setBatchSize(-1).build();

    BatchedRecord read = BatchEntries.batch(new StoredEntry(1, 1, 0, BatchEntries.entry(lying)));

    assertThat(Integer.toUnsignedLong(read.getBatchSize())).isEqualTo(4_294_967_295L);
  }
}
