package io.inlet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Empty;
import io.inlet.api.hstream.DescribeClusterResponse;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.ServerNodeStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code inlet cluster ...}: what the cluster looks like from the node asked. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Show the cluster's members.",
    subcommands = {ClusterCommand.Status.class})
final class ClusterCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    return CliFailures.missingSubcommand(spec);
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Every member the node knows (DescribeCluster): id, the address clients dial, state"
              + " (Starting, Running, Unavailable, Dead) and version.")
  static final class Status implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Override
    public Integer call() {
      DescribeClusterResponse cluster;
      try (InletClient inlet = client.connect()) {
        cluster = inlet.unary().describeCluster(Empty.getDefaultInstance());
      }
      Output out = client.output();
      if (out.printedJsonOrNone(
          "members", cluster.getServerNodesStatusList(), ClusterCommand::toJson)) {
        return 0;
      }
      TextTable table = new TextTable("ID", "ADDRESS", "STATE", "VERSION");
      for (ServerNodeStatus status : cluster.getServerNodesStatusList()) {
        ServerNode node = status.getNode();
        table.row(
            Integer.toUnsignedString(node.getId()),
            node.getHost() + ":" + node.getPort(),
            status.getState().name(),
            node.getVersion().getVersion());
      }
      out.table(table);
      out.line(
          "protocol "
              + cluster.getProtocolVersion()
              + ", up "
              + Long.toUnsignedString(cluster.getClusterUpTime())
              + "s");
      return 0;
    }
  }

  private static ObjectNode toJson(ServerNodeStatus status) {
    ServerNode node = status.getNode();
    ObjectNode json = Output.object();
    json.put("id", Integer.toUnsignedLong(node.getId()));
    json.put("host", node.getHost());
    json.put("port", node.getPort());
    json.put("state", status.getState().name());
    json.put("version", node.getVersion().getVersion());
    return json;
  }
}
