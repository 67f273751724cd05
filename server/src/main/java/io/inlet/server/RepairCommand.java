package io.inlet.server;

import io.inlet.api.config.ConfigException;
import io.inlet.server.config.ServerConfigLoader;
import io.inlet.store.StoreConfigKeys;
import io.inlet.store.StoreRepair;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inlet server repair}: checks and repairs the data directory of a stopped node, offline. It
 * lives with the server because it opens the store's files; see docs/durability.md for what it does
 * with each kind of damage.
 */
@Command(
    name = "repair",
    mixinStandardHelpOptions = true,
    description = {
      "Check and repair the data directory of a stopped node (offline).",
      "Fixes a missing CURRENT, a damaged write-ahead log, damaged table files of records and a"
          + " lost store marker, keeping every intact record; names every record it cannot keep;"
          + " raises the LSN floors so no record id is handed out twice. Backs up every file (hard"
          + " links) before it changes anything.",
      "Exit codes: 0 nothing to repair or repaired, 1 cannot repair (see the report), 2 usage,"
          + " 3 repairing would lose acknowledged records and --accept-loss was not given."
    },
    sortOptions = false)
public final class RepairCommand implements Callable<Integer> {
  /** Exit code when repairing loses acknowledged records and the loss was not accepted. */
  public static final int EXIT_LOSS_NOT_ACCEPTED = 3;

  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "PATH",
      description = "The node's data directory. Default: data-dir of --config, else ./data.")
  Path dataDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The node's YAML settings file, to find its data-dir.")
  Path configFile;

  @Option(names = "--dry-run", description = "Only report what is wrong and what would be done.")
  boolean dryRun;

  @Option(
      names = "--accept-loss",
      description =
          "Repair even when acknowledged records are lost for good (they are named in the report).")
  boolean acceptLoss;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir;
    try {
      Map<String, String> flags = new LinkedHashMap<>();
      if (dataDir != null) {
        flags.put(StoreConfigKeys.DATA_DIR.key(), dataDir.toString());
      }
      dir = ServerConfigLoader.load(flags, configFile).dataDir();
    } catch (ConfigException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ServerCommand.EXIT_FAILED;
    }
    StoreRepair.Outcome outcome;
    try {
      outcome = StoreRepair.run(dir, dryRun, acceptLoss, out::println);
    } catch (RuntimeException e) {
      out.flush();
      err.println("error: repair failed: " + e.getMessage());
      err.flush();
      return ServerCommand.EXIT_FAILED;
    }
    out.flush();
    return switch (outcome) {
      case HEALTHY, REPAIRED -> 0;
      case LOSS_NOT_ACCEPTED -> EXIT_LOSS_NOT_ACCEPTED;
      case CANNOT_REPAIR -> ServerCommand.EXIT_FAILED;
    };
  }
}
