package io.inlet.server.grpc;

/** Where a read starts: the record {@code index} of the batch {@code lsn} (or the next batch). */
record ReadPosition(long lsn, int index) {
  static ReadPosition batch(long lsn) {
    return new ReadPosition(lsn, 0);
  }
}
