package io.inlet.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.inlet.testing.RequiredServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Python program a test runs against Inlet (a script, a pytest suite): the tools it needs,
 * checked with {@link RequiredServices}, and its run, each output line echoed to the test log.
 */
public final class PythonRun {
  public static final String PYTHON = "/usr/bin/python3";

  private PythonRun() {}

  /** How a run ended: the exit code and every line it printed (stdout and stderr). */
  public record Outcome(int exitCode, List<String> lines) {}

  /**
   * Skips the test (or, in CI, fails it) unless python3 with grpcio, protobuf and {@code modules},
   * protoc and grpc_python_plugin are installed.
   *
   * @param what who needs them, for the message
   * @param install how to install them
   */
  public static void requireTools(String what, String install, String... modules)
      throws InterruptedException {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(Path.of(PYTHON))) {
      missing.add(PYTHON);
    } else {
      if (exitCode(PYTHON, "-c", "import grpc, google.protobuf") != 0) {
        missing.add("python3-grpcio / python3-protobuf (import grpc, google.protobuf failed)");
      }
      for (String module : modules) {
        if (exitCode(PYTHON, "-c", "import " + module) != 0) {
          missing.add("python3-" + module + " (import " + module + " failed)");
        }
      }
    }
    for (String tool : List.of("protoc", "grpc_python_plugin")) {
      if (!RequiredServices.onPath(tool)) {
        missing.add(tool);
      }
    }
    if (!missing.isEmpty()) {
      RequiredServices.missing(what + ": missing " + String.join(", ", missing) + "; " + install);
    }
  }

  /**
   * Runs {@code builder} (its error stream joined to its output) to its end, echoing each line to
   * the test log as {@code [tag] line}. Past {@code timeout} the process and its children are
   * killed and the test fails.
   */
  public static Outcome run(ProcessBuilder builder, String tag, Duration timeout)
      throws IOException, InterruptedException {
    Process process = builder.redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    Thread echo = new Thread(() -> echo(process, tag, lines), tag + "-output");
    echo.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      fail(tag + " did not finish within " + timeout);
    }
    echo.join(TimeUnit.SECONDS.toMillis(10));
    synchronized (lines) {
      return new Outcome(process.exitValue(), List.copyOf(lines));
    }
  }

  /** The repository's root: the directory above the working directory that holds {@code api/}. */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("api/src/main/proto"))
          && Files.isDirectory(p.resolve("sdk-python/tests"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root above " + dir);
  }

  private static void echo(Process process, String tag, List<String> lines) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        System.out.println("[" + tag + "] " + line);
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      System.out.println("[" + tag + "] output ended: " + e);
    }
  }

  private static int exitCode(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
