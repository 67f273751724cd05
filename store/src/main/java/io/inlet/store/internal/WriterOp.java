package io.inlet.store.internal;

/** Work for the writer thread: a {@link PendingAppend} or a {@link WriterTask}. */
sealed interface WriterOp permits PendingAppend, WriterTask {}
