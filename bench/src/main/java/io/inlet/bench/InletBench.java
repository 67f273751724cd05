package io.inlet.bench;

import io.inlet.bench.append.AppendCommand;
import io.inlet.bench.cdc.CdcCommand;
import io.inlet.bench.drill.DrillCommand;
import io.inlet.bench.fetch.FetchCommand;
import io.inlet.bench.fsync.FsyncCeilingCommand;
import io.inlet.bench.fsync.WritePathCommand;
import io.inlet.bench.segment.ReplicatedLogCommand;
import io.inlet.bench.segment.SegmentLogCommand;
import io.inlet.bench.sql.SqlCommand;
import io.inlet.bench.startup.StartupCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code inlet-bench}: load generators and benchmarks for Inlet. See docs/benchmarks.md. */
@Command(
    name = "inlet-bench",
    description = "Benchmarks for Inlet; figures and method in docs/benchmarks.md.",
    mixinStandardHelpOptions = true,
    subcommands = {
      AppendCommand.class,
      FetchCommand.class,
      StartupCommand.class,
      FsyncCeilingCommand.class,
      WritePathCommand.class,
      SegmentLogCommand.class,
      ReplicatedLogCommand.class,
      DrillCommand.class,
      CdcCommand.class,
      SqlCommand.class,
      CommandLine.HelpCommand.class
    })
public final class InletBench implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(InletBench.class);
    cli.setExecutionExceptionHandler(
        (error, commandLine, parsed) -> {
          commandLine.getErr().println("error: " + error.getMessage());
          if (System.getenv("INLET_BENCH_TRACE") != null) {
            error.printStackTrace(commandLine.getErr());
          }
          return 1;
        });
    System.exit(cli.execute(args));
  }
}
