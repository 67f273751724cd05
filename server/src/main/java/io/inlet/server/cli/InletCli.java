package io.inlet.server.cli;

import io.inlet.server.ServerCommand;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code inlet}: runs a node ({@code inlet server}) and manages streams and subscriptions of a
 * running one over the HStreamDB gRPC API.
 *
 * <p>Exit codes: 0 success, 1 the command failed (see stderr), 2 usage error.
 */
@Command(
    name = "inlet",
    mixinStandardHelpOptions = true,
    versionProvider = InletCli.Version.class,
    description = "Inlet: MQTT ingestion into durable streams, served over the HStreamDB API.",
    subcommands = {
      ServerCommand.class,
      StreamCommand.class,
      SubscriptionCommand.class,
      RuleCommand.class,
      BridgeCommand.class,
      UserCommand.class,
      ConnectorCommand.class,
      SqlCommand.class,
    })
public final class InletCli implements Callable<Integer> {
  @Spec private CommandSpec spec;

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
    CommandLine commandLine =
        new CommandLine(new InletCli(stdin))
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler(failures)
            .setParameterExceptionHandler(failures);
    // inlet server's setting flags are generated from the server's option table.
    ServerCommand.addSettingOptions(commandLine.getSubcommands().get("server").getCommandSpec());
    if (out != null) {
      commandLine.setOut(out);
    }
    if (err != null) {
      commandLine.setErr(err);
    }
    return commandLine;
  }

  InputStream stdin() {
    return stdin;
  }

  @Override
  public Integer call() {
    return CliFailures.missingSubcommand(spec);
  }

  static String version() {
    String version = InletCli.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** The version in the server jar's manifest ({@code dev} when run from classes). */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"inlet " + version()};
    }
  }
}
