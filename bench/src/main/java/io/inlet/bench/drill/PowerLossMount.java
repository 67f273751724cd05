package io.inlet.bench.drill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The power-loss file system (the test suite's {@code powerlossfs.py}, a FUSE passthrough) mounted
 * for a drill, driven through the script's own commands: {@code cut} drops everything not yet
 * fsync'd, and a later mount of the same store shows only what was durable.
 */
final class PowerLossMount implements AutoCloseable {
  private final Path script;
  private final Path mountpoint;
  private final Path control;
  private final Process process;
  private boolean mounted = true;

  private PowerLossMount(Path script, Path mountpoint, Path control, Process process) {
    this.script = script;
    this.mountpoint = mountpoint;
    this.control = control;
    this.process = process;
  }

  static PowerLossMount mount(Path script, Path store, Path mountpoint, Path log)
      throws IOException {
    Files.createDirectories(mountpoint);
    Path control = store.resolveSibling(store.getFileName() + ".sock");
    Files.deleteIfExists(control);
    Process process =
        new ProcessBuilder(
                "/usr/bin/python3",
                script.toString(),
                "mount",
                "--store",
                store.toString(),
                "--control",
                control.toString(),
                mountpoint.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    PowerLossMount mount = new PowerLossMount(script, mountpoint, control, process);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!(Files.exists(control) && mount.command("ping").contains("\"mounted\": true"))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        mount.close();
        throw new IOException("powerlossfs did not mount " + mountpoint + "; see " + log);
      }
      try {
        process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    return mount;
  }

  /** Cuts the power; returns the script's answer (what was dropped). */
  String cut() throws IOException {
    return command("cut");
  }

  String stats() throws IOException {
    return command("stats");
  }

  private String command(String name) throws IOException {
    return Shell.run("/usr/bin/python3", script.toString(), name, "--control", control.toString())
        .strip();
  }

  void unmount() throws IOException {
    if (mounted) {
      mounted = false;
      Shell.run("/usr/bin/python3", script.toString(), "unmount", mountpoint.toString());
      try {
        process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      unmount();
    } finally {
      process.destroyForcibly();
    }
  }
}
