package io.inlet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.inlet.testing.RequiredServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/python/quickstart_test.py} -- the HStreamDB Python client's quick start with
 * plain grpcio and stubs generated from our proto -- against a real node, and requires every check
 * in it to pass. Its output goes to the test log.
 */
class PythonQuickstartIT {
  private static final String PYTHON = "/usr/bin/python3";
  private static final String HOW_TO_INSTALL =
      "install them with: apt-get install python3-grpcio python3-protobuf protobuf-compiler"
          + " protobuf-compiler-grpc";

  @Test
  void python_quickstart_passes_against_a_live_node() throws Exception {
    requireTools();
    Path root = repositoryRoot();
    try (TestNode node = TestNode.start()) {
      Process python =
          new ProcessBuilder(
                  PYTHON,
                  root.resolve("server/src/test/python/quickstart_test.py").toString(),
                  "--server",
                  node.address(),
                  "--proto-root",
                  root.resolve("api/src/main/proto").toString())
              .redirectErrorStream(true)
              .start();
      List<String> lines = new ArrayList<>();
      Thread echo = new Thread(() -> echo(python, lines), "python-quickstart-output");
      echo.start();
      if (!python.waitFor(3, TimeUnit.MINUTES)) {
        python.destroyForcibly();
        fail("quickstart_test.py did not finish within 3 minutes");
      }
      echo.join(TimeUnit.SECONDS.toMillis(10));
      List<String> output;
      synchronized (lines) {
        output = List.copyOf(lines);
      }
      assertThat(python.exitValue())
          .as("exit code of quickstart_test.py; output:%n%s", String.join("\n", output))
          .isZero();
      assertThat(output).isNotEmpty();
      assertThat(output.get(output.size() - 1)).matches("\\d+ passed, 0 failed");
      assertThat(output).noneMatch(line -> line.startsWith("FAIL"));
    }
  }

  private static void echo(Process python, List<String> lines) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        System.out.println("[quickstart.py] " + line);
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      System.out.println("[quickstart.py] output ended: " + e);
    }
  }

  /**
   * Skips (or, under INLET_IT_REQUIRE_SERVICES=true, fails) when a tool the script needs is
   * missing.
   */
  private static void requireTools() throws InterruptedException {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(Path.of(PYTHON))) {
      missing.add(PYTHON);
    } else if (run(PYTHON, "-c", "import grpc, google.protobuf") != 0) {
      missing.add("python3-grpcio / python3-protobuf (import grpc, google.protobuf failed)");
    }
    if (run("protoc", "--version") != 0) {
      missing.add("protoc");
    }
    if (!Files.isExecutable(Path.of("/usr/bin/grpc_python_plugin"))
        && run("which", "grpc_python_plugin") != 0) {
      missing.add("grpc_python_plugin");
    }
    if (missing.isEmpty()) {
      return;
    }
    String message =
        "Python quick-start test needs " + String.join(", ", missing) + "; " + HOW_TO_INSTALL;
    RequiredServices.missing(message);
  }

  private static int run(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("api/src/main/proto"))
          && Files.isRegularFile(p.resolve("server/src/test/python/quickstart_test.py"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root above " + dir);
  }
}
