package io.inlet.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A small tmpfs mounted around each test that fills a disk: {@code @RegisterExtension final
 * SmallTmpfs disk = SmallTmpfs.ofMegabytes(32);} then {@link #path()} in the test. Mounting needs
 * root (CAP_SYS_ADMIN); without it the test is skipped, or fails in CI ({@link RequiredServices}).
 */
public final class SmallTmpfs implements BeforeEachCallback, AfterEachCallback {
  private final int megabytes;
  private Path path;
  private boolean mounted;

  private SmallTmpfs(int megabytes) {
    this.megabytes = megabytes;
  }

  public static SmallTmpfs ofMegabytes(int megabytes) {
    return new SmallTmpfs(megabytes);
  }

  /** The mount point, during a test. */
  public Path path() {
    if (!mounted) {
      throw new IllegalStateException("the tmpfs is mounted only while a test runs");
    }
    return path;
  }

  /**
   * Fills the tmpfs but for {@code leftBytes} with one file, which the test deletes to free the
   * space again.
   *
   * @return the file
   */
  public Path fillAllBut(long leftBytes) throws IOException {
    Path filler = Files.createTempFile(path(), "filler-", "");
    long fill = Files.getFileStore(path()).getUsableSpace() - leftBytes;
    byte[] chunk = new byte[1 << 20];
    try (var out = Files.newOutputStream(filler)) {
      for (long written = 0; written < fill; written += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, fill - written));
      }
    }
    return filler;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException, InterruptedException {
    path = Files.createTempDirectory("inlet-tmpfs-");
    String size = "size=" + megabytes + "m";
    mounted = run("mount", "-t", "tmpfs", "-o", size, "tmpfs", path.toString());
    if (!mounted) {
      Files.delete(path);
    }
    RequiredServices.require(
        mounted,
        "mounting a " + megabytes + " MB tmpfs needs root (CAP_SYS_ADMIN); CI runs as root");
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException, InterruptedException {
    if (mounted) {
      mounted = false;
      if (run("umount", path.toString())) {
        Files.delete(path);
      }
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
