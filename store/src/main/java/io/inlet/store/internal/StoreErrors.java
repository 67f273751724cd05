package io.inlet.store.internal;

import io.inlet.api.error.InletException;
import io.inlet.api.error.StoreUnavailableException;
import io.inlet.api.hstream.ErrorCode;
import java.nio.file.Path;
import java.util.Locale;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** Turns RocksDB failures into exceptions whose message a user can act on. */
final class StoreErrors {
  private StoreErrors() {}

  static StoreUnavailableException writeFailed(Path dataDir, String what, RocksDBException e) {
    return new StoreUnavailableException(
        "cannot " + what + " in " + dataDir + ": " + describe(e) + "; nothing was written", e);
  }

  static StoreUnavailableException readFailed(Path dataDir, String what, RocksDBException e) {
    return new StoreUnavailableException(
        "cannot " + what + " in " + dataDir + ": " + describe(e), e);
  }

  static StoreUnavailableException closing() {
    return new StoreUnavailableException("store is closing");
  }

  static StoreUnavailableException closed() {
    return new StoreUnavailableException("store is closed");
  }

  /** HStreamDB has no "shard not found" code; StreamNotFound is what its clients handle. */
  static InletException shardNotFound(long shardId) {
    return new InletException(ErrorCode.StreamNotFound, "shard " + shardId + " not found");
  }

  static InletException shardNotInStream(long shardId, String streamName) {
    return new InletException(
        ErrorCode.StreamNotFound,
        "shard " + shardId + " not found in stream \"" + streamName + "\"");
  }

  /** The cause in plain words, with RocksDB's own text kept for the curious. */
  static String describe(RocksDBException e) {
    Status status = e.getStatus();
    String text = status != null && status.getState() != null ? status.getState() : e.getMessage();
    String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
    if ((status != null && status.getSubCode() == Status.SubCode.NoSpace)
        || lower.contains("no space left")) {
      return "the disk is full (" + text + ")";
    }
    if (lower.contains("read-only file system")) {
      return "the file system is read-only (" + text + ")";
    }
    if (lower.contains("permission denied")) {
      return "permission denied (" + text + ")";
    }
    if (status != null && status.getCode() == Status.Code.IOError) {
      return "I/O error (" + text + ")";
    }
    return text == null ? e.toString() : text;
  }
}
