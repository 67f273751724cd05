package io.inlet.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Creates a directory so that it survives a power cut: a new directory entry is durable only once
 * its parent directory is fsync'd (strict POSIX; RocksDB then syncs the data dir itself after
 * creating its files in it, but nothing syncs the data dir's parent).
 */
final class DurableDirectories {
  private DurableDirectories() {}

  /**
   * Like {@link Files#createDirectories}, and fsyncs the parent of every directory it creates. A
   * directory that already exists is left as it is.
   */
  static void create(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath().normalize();
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
      missing.push(p);
    }
    if (missing.isEmpty() && !Files.isDirectory(absolute)) {
      throw new FileAlreadyExistsException(absolute.toString(), null, "not a directory");
    }
    while (!missing.isEmpty()) {
      Path next = missing.pop();
      try {
        Files.createDirectory(next);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(next)) {
          throw e;
        }
        continue; // made meanwhile by someone else, who is responsible for syncing it
      }
      fsync(next.getParent());
    }
  }

  private static void fsync(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
