package io.inlet.store.internal;

import io.inlet.store.StreamInfo;

/** What the catalog tells the rest of the store about streams coming and going. */
interface StreamEvents {
  StreamEvents NONE =
      new StreamEvents() {
        @Override
        public void created(String stream) {}

        @Override
        public void deleted(StreamInfo stream) {}
      };

  /** A stream was created (or recovered at open). */
  void created(String stream);

  /** A stream and its data were deleted (its shards' segment files are deleted now). */
  void deleted(StreamInfo stream);
}
