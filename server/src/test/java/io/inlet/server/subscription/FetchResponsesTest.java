package io.inlet.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.api.hstream.BatchedRecord;
import io.inlet.api.hstream.CompressionType;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.ReceivedRecord;
import io.inlet.api.hstream.RecordId;
import io.inlet.api.record.HStreamRecords;
import io.inlet.api.record.RecordBatches;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FetchResponsesTest {

  private static BatchedRecord batch(CompressionType compression, int size) {
    List<HStreamRecord> records = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      records.add(HStreamRecords.raw("k", ("r" + i).getBytes(StandardCharsets.UTF_8), Map.of()));
    }
    return RecordBatches.encode(records, compression);
  }

  private static InFlightBatch tracked(BatchedRecord batch) {
    return new InFlightBatch(3, 42, batch.getBatchSize());
  }

  private static List<String> payloads(ReceivedRecord received) {
    return RecordBatches.decode(received.getRecord()).stream()
        .map(r -> r.getPayload().toStringUtf8())
        .toList();
  }

  @Test
  void a_first_delivery_carries_the_stored_batch_and_one_id_per_record() {
    BatchedRecord stored = batch(CompressionType.Zstd, 3);
    ReceivedRecord received = FetchResponses.whole(tracked(stored), stored).getReceivedRecords();
    assertThat(received.getRecord()).isSameAs(stored);
    assertThat(received.getRecordIdsList()).containsExactly(id(0), id(1), id(2));
  }

  @Test
  void a_redelivery_of_an_unacknowledged_batch_resends_it_whole() {
    BatchedRecord stored = batch(CompressionType.None, 2);
    assertThat(
            FetchResponses.unacknowledged(tracked(stored), stored).getReceivedRecords().getRecord())
        .isSameAs(stored);
  }

  @Test
  void a_partly_acknowledged_batch_is_re_encoded_with_only_its_unacknowledged_records() {
    BatchedRecord stored = batch(CompressionType.Gzip, 5);
    InFlightBatch b = tracked(stored);
    b.ack(0);
    b.ack(3);
    ReceivedRecord received = FetchResponses.unacknowledged(b, stored).getReceivedRecords();
    assertThat(received.getRecordIdsList()).containsExactly(id(1), id(2), id(4));
    assertThat(payloads(received)).containsExactly("r1", "r2", "r4");
    BatchedRecord resent = received.getRecord();
    assertThat(resent.getBatchSize()).isEqualTo(3);
    assertThat(resent.getCompressionType()).isEqualTo(CompressionType.Gzip);
    assertThat(resent.getPublishTime()).isEqualTo(stored.getPublishTime());
  }

  @Test
  void a_batch_that_cannot_be_decoded_is_resent_whole() {
    BatchedRecord broken =
        BatchedRecord.newBuilder()
            .setBatchSize(2)
            .setCompressionType(CompressionType.Gzip)
            .setPayload(com.google.protobuf.ByteString.copyFromUtf8("not gzip"))
            .build();
    InFlightBatch b = tracked(broken);
    b.ack(1);
    ReceivedRecord received = FetchResponses.unacknowledged(b, broken).getReceivedRecords();
    assertThat(received.getRecord()).isSameAs(broken);
    assertThat(received.getRecordIdsCount()).isEqualTo(2);
  }

  private static RecordId id(int index) {
    return RecordId.newBuilder().setShardId(3).setBatchId(42).setBatchIndex(index).build();
  }
}
