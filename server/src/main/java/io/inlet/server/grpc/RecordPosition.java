package io.inlet.server.grpc;

/** Where a read starts: the record {@code index} of the batch {@code lsn} (or the next batch). */
record RecordPosition(long lsn, int index) {
  static RecordPosition batch(long lsn) {
    return new RecordPosition(lsn, 0);
  }
}
