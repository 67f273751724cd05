package io.inlet.bench.mqtt;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * MQTT load generator that works against any broker: {@code publish} measures throughput and PUBACK
 * latency, {@code idle} holds many idle connections open.
 */
@Command(
    name = "mqtt-bench",
    mixinStandardHelpOptions = true,
    subcommands = {PublishCommand.class, IdleCommand.class},
    description = "MQTT load generator (any broker).")
public final class MqttBench {

  private MqttBench() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new MqttBench()).execute(args));
  }
}
