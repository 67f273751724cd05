package io.inlet.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the CLI in-process the way a shell would, capturing exit code, stdout and stderr (public:
 * the server module's CLI integration tests use it from this module's test jar).
 */
public record CliRun(int exitCode, String out, String err) {

  public static CliRun run(String... args) {
    return runWithStdin("", args);
  }

  public static CliRun runWithStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        InletCli.commandLine(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true),
                new PrintWriter(err, true))
            .execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** The given arguments followed by {@code --server address}. */
  public static String[] at(String server, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--server");
    all.add(server);
    return all.toArray(String[]::new);
  }

  public List<String> outLines() {
    return out.isEmpty() ? List.of() : List.of(out.split("\\R"));
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
