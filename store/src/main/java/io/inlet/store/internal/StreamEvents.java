package io.inlet.store.internal;

/** What the catalog tells the rest of the store about streams coming and going. */
interface StreamEvents {
  StreamEvents NONE =
      new StreamEvents() {
        @Override
        public void created(String stream) {}

        @Override
        public void deleted(String stream) {}
      };

  /** A stream was created (or recovered at open). */
  void created(String stream);

  /** A stream and its data were deleted. */
  void deleted(String stream);
}
