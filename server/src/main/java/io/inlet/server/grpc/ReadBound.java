package io.inlet.server.grpc;

/**
 * Where a read stops. {@link #NONE}: never, it tails new records; an LSN bound: after the record
 * {@code (lsn, index)}, inclusive; a time bound: before the first batch appended after {@code
 * timestampMs}.
 */
record ReadBound(Kind kind, long lsn, int index, long timestampMs) {
  enum Kind {
    NONE,
    RECORD,
    TIME
  }

  static final ReadBound NONE = new ReadBound(Kind.NONE, 0, 0, 0);

  static ReadBound record(long lsn, int index) {
    return new ReadBound(Kind.RECORD, lsn, index, 0);
  }

  /** Through the last record of batch {@code lsn}. */
  static ReadBound batch(long lsn) {
    return new ReadBound(Kind.RECORD, lsn, Integer.MAX_VALUE, 0);
  }

  static ReadBound time(long timestampMs) {
    return new ReadBound(Kind.TIME, 0, 0, timestampMs);
  }
}
