package io.inlet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test that fills a disk. Mounting needs root (CAP_SYS_ADMIN); without
 * it the test is skipped, or fails in CI ({@link RequiredServices}). {@link #close} unmounts.
 */
public final class SmallTmpfs implements AutoCloseable {
  private final Path path;
  private boolean mounted = true;

  private SmallTmpfs(Path path) {
    this.path = path;
  }

  /** Mounts a tmpfs of {@code megabytes} MB on {@code dir} (created if missing). */
  public static SmallTmpfs mount(Path dir, int megabytes) throws InterruptedException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String size = "size=" + megabytes + "m";
    RequiredServices.require(
        run("mount", "-t", "tmpfs", "-o", size, "tmpfs", dir.toString()),
        "mounting a " + megabytes + " MB tmpfs needs root (CAP_SYS_ADMIN); CI runs as root");
    return new SmallTmpfs(dir);
  }

  /** The mount point. */
  public Path path() {
    return path;
  }

  /** Unmounts; idempotent. */
  @Override
  public void close() throws InterruptedException {
    if (mounted) {
      mounted = false;
      run("umount", path.toString());
    }
  }

  private static boolean run(String... command) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
