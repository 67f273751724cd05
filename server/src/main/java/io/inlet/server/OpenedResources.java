package io.inlet.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a node opened, closed in reverse order; a failure to close one is logged, not thrown. */
final class OpenedResources {
  private static final Logger log = LoggerFactory.getLogger(InletServer.class);

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  void push(AutoCloseable resource) {
    opened.push(resource);
  }

  boolean isEmpty() {
    return opened.isEmpty();
  }

  /** Closes everything, last opened first. */
  void closeAll() {
    while (!opened.isEmpty()) {
      AutoCloseable resource = opened.pop();
      try {
        resource.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("error while shutting down: {}", e.toString());
      }
    }
  }
}
