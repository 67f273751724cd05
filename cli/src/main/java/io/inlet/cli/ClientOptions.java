package io.inlet.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The options every client command shares (which node to dial, how to print) and the command's
 * terminal: stdout, stderr and stdin as the CLI was given them. Public for the commands other
 * modules add through {@link CliExtension} (as a picocli {@code @Mixin}).
 */
public final class ClientOptions {
  static final String SERVER_OPTION = "--server";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = {"-s", SERVER_OPTION},
      paramLabel = "HOST:PORT",
      defaultValue = "${env:INLET_SERVER:-127.0.0.1:6570}",
      converter = ServerAddress.Converter.class,
      description =
          "The Inlet node to talk to (default: `inlet --server`, else $INLET_SERVER, else"
              + " ${DEFAULT-VALUE}).")
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

  @Option(
      names = "--tls",
      description =
          "Talk TLS to the node (on by itself with --tls-ca-file or a client certificate);"
              + " without --tls-ca-file the system's CAs are trusted.")
  private boolean tls;

  @Option(
      names = "--tls-ca-file",
      paramLabel = "PEM",
      defaultValue = "${env:INLET_TLS_CA_FILE}",
      description = "CA certificates the node's certificate must chain to ($INLET_TLS_CA_FILE).")
  private Path tlsCaFile;

  @Option(
      names = "--tls-cert-file",
      paramLabel = "PEM",
      defaultValue = "${env:INLET_TLS_CERT_FILE}",
      description =
          "Client certificate chain, for a node that requires one ($INLET_TLS_CERT_FILE).")
  private Path tlsCertFile;

  @Option(
      names = "--tls-key-file",
      paramLabel = "PEM",
      defaultValue = "${env:INLET_TLS_KEY_FILE}",
      description = "Private key (PKCS#8) of the client certificate ($INLET_TLS_KEY_FILE).")
  private Path tlsKeyFile;

  /**
   * The node to dial: this command's {@code --server}, else the one given before the subcommand
   * ({@code inlet --server HOST:PORT stream list}), else the default ($INLET_SERVER, else
   * 127.0.0.1:6570).
   */
  ServerAddress server() {
    return server(command.commandLine());
  }

  /**
   * True when the node was named on the command line: this command's {@code --server}, or one given
   * before the subcommand (not merely the default or $INLET_SERVER).
   */
  boolean serverNamed() {
    CommandLine commandLine = command.commandLine();
    return givenHere(commandLine) || namedBeforeSubcommand(commandLine.getCommandSpec()) != null;
  }

  /** {@link #server()} of a command that has these options; null for one that has not. */
  static ServerAddress server(CommandLine commandLine) {
    CommandSpec spec = commandLine.getCommandSpec();
    OptionSpec own = spec.findOption(SERVER_OPTION);
    if (own == null) {
      return null;
    }
    ServerAddress before = namedBeforeSubcommand(spec);
    return before != null && !givenHere(commandLine) ? before : own.getValue();
  }

  /** Whether this command's own {@code --server} was given. */
  private static boolean givenHere(CommandLine commandLine) {
    OptionSpec own = commandLine.getCommandSpec().findOption(SERVER_OPTION);
    ParseResult parsed = commandLine.getParseResult();
    return own != null && parsed != null && parsed.hasMatchedOption(own);
  }

  /** The node given before the subcommand ({@code inlet --server HOST:PORT ...}), else null. */
  private static ServerAddress namedBeforeSubcommand(CommandSpec spec) {
    return spec.root().userObject() instanceof InletCli cli ? cli.server() : null;
  }

  /** A connection to the node these options name; the caller closes it. */
  public InletClient connect() {
    if (timeoutSeconds <= 0) {
      throw new CliException("--timeout must be at least 1 second, found: " + timeoutSeconds);
    }
    ClientTls security = new ClientTls(tls, tlsCaFile, tlsCertFile, tlsKeyFile);
    return InletClient.connect(
        server(), Duration.ofSeconds(timeoutSeconds), security.credentials());
  }

  Output output() {
    return new Output(command.commandLine().getOut(), json);
  }

  /** Where warnings go: the command's stderr. */
  java.io.PrintWriter errWriter() {
    return command.commandLine().getErr();
  }

  /** The CLI's standard input (a test's, when a test runs the CLI). */
  public InputStream stdin() {
    Object root = command.root().userObject();
    return root instanceof InletCli cli ? cli.stdin() : System.in;
  }
}
