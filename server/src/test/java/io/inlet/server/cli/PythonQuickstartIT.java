package io.inlet.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inlet.server.testing.PythonRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/python/quickstart_test.py} -- the HStreamDB Python client's quick start with
 * plain grpcio and stubs generated from our proto -- against a real node, and requires every check
 * in it to pass. Its output goes to the test log.
 */
class PythonQuickstartIT {
  private static final String HOW_TO_INSTALL =
      "install them with: apt-get install python3-grpcio python3-protobuf protobuf-compiler"
          + " protobuf-compiler-grpc";

  @Test
  void python_quickstart_passes_against_a_live_node() throws Exception {
    PythonRun.requireTools("Python quick-start test", HOW_TO_INSTALL);
    Path root = PythonRun.repositoryRoot();
    try (TestNode node = TestNode.start()) {
      ProcessBuilder script =
          new ProcessBuilder(
              PythonRun.PYTHON,
              root.resolve("server/src/test/python/quickstart_test.py").toString(),
              "--server",
              node.address(),
              "--proto-root",
              root.resolve("api/src/main/proto").toString());
      PythonRun.Outcome outcome = PythonRun.run(script, "quickstart.py", Duration.ofMinutes(3));
      List<String> output = outcome.lines();
      assertThat(outcome.exitCode())
          .as("exit code of quickstart_test.py; output:%n%s", String.join("\n", output))
          .isZero();
      assertThat(output).isNotEmpty();
      assertThat(output.get(output.size() - 1)).matches("\\d+ passed, 0 failed");
      assertThat(output).noneMatch(line -> line.startsWith("FAIL"));
    }
  }
}
