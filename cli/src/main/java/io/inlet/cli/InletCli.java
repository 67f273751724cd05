package io.inlet.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inlet}: manages streams, subscriptions, rules, bridges, users and connectors of a running
 * node over the HStreamDB gRPC API. Commands of other modules on the classpath join in through
 * {@link CliExtension} ({@code inlet server} when the server is there, as in the distribution).
 *
 * <p>Exit codes: 0 success, 1 the command failed (see stderr), 2 usage error.
 */
@Command(
    name = "inlet",
    mixinStandardHelpOptions = true,
    versionProvider = InletCli.Version.class,
    description = "Inlet: MQTT ingestion into durable streams, served over the HStreamDB API.")
public final class InletCli implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = {"-s", ClientOptions.SERVER_OPTION},
      paramLabel = "HOST:PORT",
      converter = ServerAddress.Converter.class,
      description =
          "The Inlet node the client commands talk to, for every command after it (a --server"
              + " given to the command itself wins).")
  private ServerAddress server;

  private final InputStream stdin;

  private InletCli(InputStream stdin) {
    this.stdin = stdin;
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.in, null, null).execute(args));
  }

  /**
   * The whole command tree, reading and printing through the given streams; {@code out} or {@code
   * err} null means the process' own.
   */
  public static CommandLine commandLine(InputStream stdin, PrintWriter out, PrintWriter err) {
    CliFailures failures = new CliFailures();
    CommandLine commandLine = new CommandLine(new InletCli(stdin));
    for (CliExtension extension : extensions()) {
      for (CommandLine command : extension.subcommands()) {
        commandLine.addSubcommand(command);
      }
    }
    for (Object command :
        List.of(
            new StreamCommand(),
            new SubscriptionCommand(),
            new RuleCommand(),
            new BridgeCommand(),
            new UserCommand(),
            new ConnectorCommand(),
            new ClusterCommand())) {
      commandLine.addSubcommand(command);
    }
    // Set after the subcommands are added: CommandLine passes these on to the ones it has.
    commandLine
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(failures)
        .setParameterExceptionHandler(failures);
    if (out != null) {
      commandLine.setOut(out);
    }
    if (err != null) {
      commandLine.setErr(err);
    }
    return commandLine;
  }

  /** The extensions on the classpath, in the order the service loader finds them. */
  static List<CliExtension> extensions() {
    return ServiceLoader.load(CliExtension.class).stream()
        .map(ServiceLoader.Provider::get)
        .toList();
  }

  InputStream stdin() {
    return stdin;
  }

  /** {@code inlet --server HOST:PORT ...}: null when not given there. */
  ServerAddress server() {
    return server;
  }

  @Override
  public Integer call() {
    return CliFailures.missingSubcommand(spec);
  }

  static String version() {
    String version = InletCli.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** The version in the CLI jar's manifest ({@code dev} when run from classes). */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"inlet " + version()};
    }
  }
}
