package io.inlet.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.testing.RequiredServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The power-loss file system ({@code powerloss/powerlossfs.py}, a FUSE passthrough) mounted for a
 * test: every write and directory change not yet fsync'd is lost when {@link #cut()} "cuts the
 * power". After a cut, kill what uses the mount, {@link #unmount()}, and {@link #mount} again on
 * the same store: the new mount shows only what was durable at the cut.
 *
 * <p>Needs root, {@code /dev/fuse} and Debian's {@code fuse3} and {@code python3-fusepy}; without
 * them {@link #requireAvailable()} skips the test, or fails it in CI ({@link RequiredServices};
 * {@code .ci/run} installs them).
 */
public final class PowerLossFileSystem implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PYTHON = "/usr/bin/python3";
  private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(30);

  private final Path mountpoint;
  private final Path control;
  private final Process process;
  private boolean mounted = true;

  private PowerLossFileSystem(Path mountpoint, Path control, Process process) {
    this.mountpoint = mountpoint;
    this.control = control;
    this.process = process;
  }

  /**
   * Skips the calling test (or fails it in CI: {@link RequiredServices}) when the file system
   * cannot be mounted here.
   */
  public static void requireAvailable() {
    String missing = missingPrerequisite();
    if (missing == null) {
      return;
    }
    String message =
        "power-loss file system unavailable: "
            + missing
            + " (needs root, /dev/fuse, and `apt-get install fuse3 python3-fusepy`)";
    throw RequiredServices.missing(message);
  }

  private static String missingPrerequisite() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return "not running as root";
    }
    if (!Files.exists(Path.of("/dev/fuse"))) {
      return "no /dev/fuse";
    }
    try {
      Process probe =
          new ProcessBuilder(PYTHON, "-c", "import fusepy").redirectErrorStream(true).start();
      String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
        return PYTHON + " cannot import fusepy: " + output.strip();
      }
    } catch (IOException e) {
      return "cannot run " + PYTHON + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    return null;
  }

  /**
   * Mounts the file system at {@code mountpoint}, keeping its state in {@code store}; a store used
   * before is mounted with only what was durable in it.
   *
   * @param log where the file system's own output goes
   */
  public static PowerLossFileSystem mount(Path store, Path mountpoint, Path log)
      throws IOException, InterruptedException {
    Files.createDirectories(store);
    Files.createDirectories(mountpoint);
    Path control = store.resolveSibling(store.getFileName() + ".sock");
    Files.deleteIfExists(control); // left by an earlier mount of this store
    Process process =
        new ProcessBuilder(
                PYTHON,
                script().toString(),
                "mount",
                "--store",
                store.toString(),
                "--control",
                control.toString(),
                mountpoint.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    PowerLossFileSystem fs = new PowerLossFileSystem(mountpoint, control, process);
    try {
      fs.awaitMounted(log);
      return fs;
    } catch (IOException | RuntimeException | InterruptedException e) {
      fs.close();
      throw e;
    }
  }

  private void awaitMounted(Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + MOUNT_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "powerlossfs exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      // the control socket appears once it accepts; the mount a moment later
      if (Files.exists(control) && command("ping").path("mounted").asBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("powerlossfs not mounted within " + MOUNT_TIMEOUT);
      }
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
  }

  public Path mountpoint() {
    return mountpoint;
  }

  /**
   * Cuts the power: from now on nothing more becomes durable and every operation on the mount fails
   * with EIO.
   *
   * @return what was dropped: {@code droppedBytes}, {@code droppedFiles}, {@code
   *     droppedDirectories}
   */
  public JsonNode cut() throws IOException {
    return command("cut");
  }

  /**
   * A failing disk: from now until {@link #healSyncs()} every fsync fails with EIO while writes and
   * reads go on, and (as on Linux after a write-back error) what a failed fsync covered never
   * becomes durable unless written again.
   */
  public void failSyncs() throws IOException {
    command("fail-syncs");
  }

  /** {@link #failSyncs()} for the files and directories whose path contains {@code pathPart}. */
  public void failSyncs(String pathPart) throws IOException {
    if (pathPart.isBlank() || pathPart.contains("\n")) {
      throw new IllegalArgumentException("a path part, not '" + pathPart + "'");
    }
    command("fail-syncs " + pathPart);
  }

  /** Ends {@link #failSyncs()}: fsyncs succeed again. */
  public void healSyncs() throws IOException {
    command("heal-syncs");
  }

  /**
   * Counters: writes, fsyncs, failedFsyncs, dirFsyncs, bytesWritten, bytesSynced, unsyncedBytes,
   * ...
   */
  public JsonNode stats() throws IOException {
    return command("stats");
  }

  /** Unmounts (after a cut, nothing is synced) and waits for the file system process to end. */
  public void unmount() throws IOException, InterruptedException {
    if (!mounted) {
      return;
    }
    mounted = false;
    Process unmount =
        new ProcessBuilder(PYTHON, script().toString(), "unmount", mountpoint.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(unmount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!unmount.waitFor(60, TimeUnit.SECONDS) || unmount.exitValue() != 0) {
      throw new IllegalStateException("cannot unmount " + mountpoint + ": " + output);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("powerlossfs did not exit after unmounting " + mountpoint);
    }
  }

  private JsonNode command(String command) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(control));
      channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
      String answer =
          new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
      JsonNode json = JSON.readTree(answer);
      if (json == null || !json.path("ok").asBoolean()) {
        throw new IllegalStateException("powerlossfs " + command + " failed: " + answer);
      }
      return json;
    }
  }

  /** The file system's script, from the test class path. */
  public static Path script() {
    URL url = PowerLossFileSystem.class.getResource("/powerloss/powerlossfs.py");
    if (url == null) {
      throw new IllegalStateException("powerloss/powerlossfs.py is not on the test class path");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Unmounts if still mounted; used on test failure paths too. */
  @Override
  public void close() {
    try {
      unmount();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
