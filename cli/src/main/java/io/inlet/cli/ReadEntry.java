package io.inlet.cli;

import io.inlet.api.hstream.RecordId;

/** One record a read or a subscription delivered: one to print, or one that cannot be read. */
sealed interface ReadEntry permits RecordView, ReadEntry.Unreadable {
  RecordId id();

  /** A delivered record id whose record cannot be shown, and why. */
  record Unreadable(RecordId id, String reason) implements ReadEntry {}
}
