package io.inlet.server.cli;

import java.io.InputStream;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every client command shares (which node to dial, how to print) and the command's
 * terminal: stdout, stderr and stdin as the CLI was given them.
 */
final class ClientOptions {
  static final String SERVER_OPTION = "--server";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = {"-s", SERVER_OPTION},
      paramLabel = "HOST:PORT",
      defaultValue = "${env:INLET_SERVER:-127.0.0.1:6570}",
      converter = ServerAddress.Converter.class,
      description = "The Inlet node to talk to (default: $INLET_SERVER, else ${DEFAULT-VALUE}).")
  private ServerAddress server;

  @Option(
      names = "--json",
      description = "Print one JSON document instead of text (stable field names, for scripts).")
  private boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Deadline for each request/response call, in seconds (default: ${DEFAULT-VALUE}).")
  private int timeoutSeconds;

  ServerAddress server() {
    return server;
  }

  InletClient connect() {
    if (timeoutSeconds <= 0) {
      throw new CliException("--timeout must be at least 1 second, found: " + timeoutSeconds);
    }
    return InletClient.connect(server, Duration.ofSeconds(timeoutSeconds));
  }

  Output output() {
    return new Output(command.commandLine().getOut(), json);
  }

  InputStream stdin() {
    Object root = command.root().userObject();
    return root instanceof InletCli cli ? cli.stdin() : System.in;
  }
}
