package io.inlet.testing.history;

/** One record as the final read of its shard returned it. */
public record StoredRecord(RecordId id, String payloadId) {}
