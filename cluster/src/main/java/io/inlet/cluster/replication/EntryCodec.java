package io.inlet.cluster.replication;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.inlet.cluster.replication.proto.AppendRequest;
import io.inlet.cluster.replication.proto.LogEntry;
import io.inlet.store.segment.SegmentEntry;
import java.util.ArrayList;
import java.util.List;

/** Log entries to and from the replication protocol: the one place the two meet. */
final class EntryCodec {
  private EntryCodec() {}

  static LogEntry toWire(long lsn, SegmentEntry entry) {
    return LogEntry.newBuilder()
        .setLsn(lsn)
        .setEpoch(entry.epoch())
        .setPayload(UnsafeByteOperations.unsafeWrap(entry.payload()))
        .setRecordCount(entry.recordCount())
        .setFlags(entry.flags())
        .setAppendTimeMs(entry.appendTimeMs())
        .build();
  }

  static SegmentEntry fromWire(LogEntry entry) {
    ByteString payload = entry.getPayload();
    return new SegmentEntry(
        payload.toByteArray(),
        entry.getRecordCount(),
        entry.getFlags(),
        entry.getAppendTimeMs(),
        entry.getEpoch());
  }

  /**
   * A request as a batch.
   *
   * @throws IllegalArgumentException when its entries do not have consecutive LSNs from {@code
   *     prev_lsn + 1}, or one has no epoch or a record count of 0
   */
  static AppendBatch fromWire(AppendRequest request) {
    List<SegmentEntry> entries = new ArrayList<>(request.getEntriesCount());
    long expected = request.getPrevLsn() + 1;
    for (LogEntry entry : request.getEntriesList()) {
      if (entry.getLsn() != expected) {
        throw new IllegalArgumentException(
            "entry LSN " + entry.getLsn() + " where " + expected + " was expected");
      }
      if (entry.getEpoch() < 1 || entry.getEpoch() > request.getEpoch()) {
        throw new IllegalArgumentException(
            "entry " + entry.getLsn() + " has epoch " + entry.getEpoch());
      }
      entries.add(fromWire(entry));
      expected++;
    }
    return new AppendBatch(
        request.getShardId(),
        request.getEpoch(),
        request.getPrevLsn(),
        request.getPrevEpoch(),
        entries,
        request.getCommittedLsn(),
        request.getEpochFirstLsn(),
        request.getRestartAtLsn());
  }
}
