package io.inlet.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.server.testing.PythonRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the bundled Python SDK's pytest suite ({@code sdk-python/tests}) and requires it to pass.
 * The suite starts its own Inlet nodes; this test tells it how: {@code java -cp <this JVM's test
 * classpath> io.inlet.cli.InletCli server ...} through {@code INLET_JAVA} and {@code
 * INLET_CLASSPATH}. pytest's output goes to the test log.
 */
class PythonSdkIT {
  private static final String HOW_TO_INSTALL =
      "install them with: apt-get install python3-grpcio python3-protobuf python3-pytest"
          + " protobuf-compiler protobuf-compiler-grpc python3-venv";

  @Test
  void python_sdk_test_suite_passes_against_live_nodes() throws Exception {
    PythonRun.requireTools("Python SDK tests", HOW_TO_INSTALL, "pytest");
    ProcessBuilder builder =
        new ProcessBuilder(
                PythonRun.PYTHON,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-o",
                "console_output_style=classic",
                "-rfEs",
                "sdk-python/tests")
            .directory(PythonRun.repositoryRoot().toFile());
    Map<String, String> env = builder.environment();
    env.put("INLET_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("INLET_CLASSPATH", System.getProperty("java.class.path"));
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    env.remove("INLET_SERVER_CMD");
    // The suite's Inlet nodes are children of pytest: a timeout ends them too.
    PythonRun.Outcome pytest = PythonRun.run(builder, "sdk-python", Duration.ofMinutes(10));
    assertThat(pytest.exitCode())
        .as("exit code of pytest sdk-python/tests; output:%n%s", String.join("\n", pytest.lines()))
        .isZero();
    assertThat(pytest.lines()).anyMatch(line -> line.matches("\\d+ passed.*"));
  }
}
