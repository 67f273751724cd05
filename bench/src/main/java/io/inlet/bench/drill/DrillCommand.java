package io.inlet.bench.drill;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code drill}: failure drills against real Inlet nodes in child processes. Each prints attempts,
 * acknowledged, lost and crashes (and figures of its own) in one summary line and exits non-zero
 * when anything acknowledged was lost, a record id was reused, the node crashed where it should
 * not, or another expectation broke. See bench/drills/README.md and docs/reliability.md.
 */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description = "Failure drills; see bench/drills/README.md.",
    subcommands = {
      Kill9Drill.class,
      PowerLossDrill.class,
      DiskFullDrill.class,
      StorageDamageDrill.class,
      HostileGrpcDrill.class,
      HostileMqttDrill.class,
      SlowHttpDrill.class,
      ClusterKillCommand.class,
      RollingRestartCommand.class
    })
public final class DrillCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
