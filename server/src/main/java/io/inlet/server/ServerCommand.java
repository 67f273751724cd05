package io.inlet.server;

import io.inlet.api.config.ConfigException;
import io.inlet.api.config.Option;
import io.inlet.bridge.config.RoutingConfig;
import io.inlet.server.config.ConfigReference;
import io.inlet.server.config.InletOptions;
import io.inlet.server.config.MqttRoutingConfigLoader;
import io.inlet.server.config.ServerConfig;
import io.inlet.server.config.ServerConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code inlet server}: runs a node until SIGTERM/SIGINT. Its setting flags are generated from
 * {@link InletOptions}; build the command with {@link #commandLine()} (or {@link
 * #addSettingOptions} on a spec) so they are present.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Run an Inlet node: the HStreamDB-compatible gRPC API on its stream store.",
    subcommands = RepairCommand.class,
    sortOptions = false)
public final class ServerCommand implements Callable<Integer> {
  /** Exit code for a bad setting or a node that cannot start. */
  public static final int EXIT_FAILED = 1;

  /** Exit code for a command line that does not parse. */
  public static final int EXIT_USAGE = 2;

  @Spec CommandSpec spec;

  @CommandLine.Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML file of settings; keys are the flag names (grpc-port: 6570).")
  Path configFile;

  @CommandLine.Option(
      names = "--port-file",
      paramLabel = "PATH",
      description = "Write the bound ports as JSON to PATH once the node is ready.")
  Path portFile;

  @CommandLine.Option(
      names = "--print-config-reference",
      description = "Print the table of every setting (markdown) and exit.")
  boolean printReference;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command with its generated setting flags. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ServerCommand());
    addSettingOptions(cli.getCommandSpec());
    return cli;
  }

  /** Adds a flag per setting in {@link InletOptions} to the command's spec. */
  public static void addSettingOptions(CommandSpec spec) {
    for (Option<?> option : InletOptions.ALL) {
      String description =
          option.description()
              + (option.hasDerivedDefault() ? "" : " Default: " + option.defaultText() + ".");
      OptionSpec.Builder flag =
          OptionSpec.builder(option.flag())
              .type(String.class)
              .paramLabel(option.type().toUpperCase(java.util.Locale.ROOT))
              .description(description);
      if (option.isFlag()) {
        flag.arity("0..1").fallbackValue("true").paramLabel("true|false");
      }
      spec.addOption(flag.build());
    }
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (printReference) {
      spec.commandLine().getOut().print(ConfigReference.markdown());
      spec.commandLine().getOut().flush();
      return 0;
    }
    ServerConfig config;
    RoutingConfig routing;
    try {
      config = ServerConfigLoader.load(flags(), configFile);
      routing = MqttRoutingConfigLoader.load(configFile);
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return EXIT_FAILED;
    }
    Logging.configure(config.logLevel());
    NettyLeakDetection.disableUnlessRequested();
    InletServer server;
    try {
      server = InletServer.start(config, routing);
    } catch (StartupException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return EXIT_FAILED;
    }
    Thread hook = new Thread(server::close, "inlet-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (portFile != null) {
        PortFile.write(portFile, server);
      }
      server.awaitClosed();
    } catch (IOException e) {
      err.println("error: cannot write --port-file " + portFile + ": " + e.getMessage());
      err.flush();
      server.close();
      return EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
    }
    return 0;
  }

  private Map<String, String> flags() {
    Map<String, String> values = new LinkedHashMap<>();
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    for (Option<?> option : InletOptions.ALL) {
      OptionSpec flag = spec.findOption(option.flag());
      if (flag != null && parsed != null && parsed.hasMatchedOption(flag)) {
        values.put(option.key(), flag.getValue());
      }
    }
    return values;
  }
}
