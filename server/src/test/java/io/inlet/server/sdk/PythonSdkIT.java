package io.inlet.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the bundled Python SDK's pytest suite ({@code sdk-python/tests}) and requires it to pass.
 * The suite starts its own Inlet nodes; this test tells it how: {@code java -cp <this JVM's test
 * classpath> io.inlet.cli.InletCli server ...} through {@code INLET_JAVA} and {@code
 * INLET_CLASSPATH}. pytest's output goes to the test log.
 */
class PythonSdkIT {
  private static final String PYTHON = "/usr/bin/python3";
  private static final String HOW_TO_INSTALL =
      "install them with: apt-get install python3-grpcio python3-protobuf python3-pytest"
          + " protobuf-compiler protobuf-compiler-grpc python3-venv";
  private static final long TIMEOUT_MINUTES = 10;

  @Test
  void python_sdk_test_suite_passes_against_live_nodes() throws Exception {
    requireTools();
    Path root = repositoryRoot();
    ProcessBuilder builder =
        new ProcessBuilder(
                PYTHON,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-o",
                "console_output_style=classic",
                "-rfEs",
                "sdk-python/tests")
            .directory(root.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("INLET_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("INLET_CLASSPATH", System.getProperty("java.class.path"));
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    env.remove("INLET_SERVER_CMD");
    Process python = builder.start();
    List<String> lines = new ArrayList<>();
    Thread echo = new Thread(() -> echo(python, lines), "python-sdk-tests-output");
    echo.start();
    if (!python.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      // The suite's Inlet nodes are children of pytest: end them too.
      python.descendants().forEach(ProcessHandle::destroyForcibly);
      python.destroyForcibly();
      python.waitFor(30, TimeUnit.SECONDS);
      fail("the Python SDK tests did not finish within " + TIMEOUT_MINUTES + " minutes");
    }
    echo.join(TimeUnit.SECONDS.toMillis(10));
    List<String> output;
    synchronized (lines) {
      output = List.copyOf(lines);
    }
    assertThat(python.exitValue())
        .as("exit code of pytest sdk-python/tests; output:%n%s", String.join("\n", output))
        .isZero();
    assertThat(output).anyMatch(line -> line.matches("\\d+ passed.*"));
  }

  private static void echo(Process python, List<String> lines) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        System.out.println("[sdk-python] " + line);
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      System.out.println("[sdk-python] output ended: " + e);
    }
  }

  /**
   * Skips (or, under INLET_IT_REQUIRE_SERVICES=true, fails) when something the suite needs is
   * missing.
   */
  private static void requireTools() throws InterruptedException {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(Path.of(PYTHON))) {
      missing.add(PYTHON);
    } else {
      if (run(PYTHON, "-c", "import grpc, google.protobuf") != 0) {
        missing.add("python3-grpcio / python3-protobuf (import grpc, google.protobuf failed)");
      }
      if (run(PYTHON, "-c", "import pytest") != 0) {
        missing.add("python3-pytest (import pytest failed)");
      }
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
    String message = "Python SDK tests need " + String.join(", ", missing) + "; " + HOW_TO_INSTALL;
    if ("true".equalsIgnoreCase(System.getenv("INLET_IT_REQUIRE_SERVICES"))) {
      fail(message + " (INLET_IT_REQUIRE_SERVICES=true turns this skip into a failure)");
    }
    Assumptions.abort(message);
  }

  private static int run(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("sdk-python/tests"))
          && Files.isDirectory(p.resolve("api/src/main/proto"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the repository root above " + dir);
  }
}
