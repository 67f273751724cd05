package io.inlet.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Empty;
import io.inlet.api.hstream.DescribeClusterResponse;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.ServerNodeStatus;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
              + " (Starting, Running, Unavailable, Dead) and version; with --shards also the node"
              + " that leads each shard of every stream (LookupShard), its committed LSN and how"
              + " many entries each replica is behind the leader's log.")
  static final class Status implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Option(
        names = "--shards",
        description =
            "Also list each shard of every stream with the node that leads it (one LookupShard per"
                + " shard), or why none does, its committed LSN and each replica's lag in entries"
                + " (node:lag, as the leader last heard; needs metadata-nodes).")
    private boolean shards;

    @Override
    public Integer call() {
      DescribeClusterResponse cluster;
      List<ShardLeader> leaders = List.of();
      try (InletClient inlet = client.connect()) {
        cluster = inlet.unary().describeCluster(Empty.getDefaultInstance());
        if (shards) {
          leaders = ShardLeader.all(inlet);
        }
      }
      Output out = client.output();
      if (shards) {
        printWithShards(out, cluster, leaders);
        return 0;
      }
      if (out.printedJsonOrNone(
          "members", cluster.getServerNodesStatusList(), ClusterCommand::toJson)) {
        return 0;
      }
      printMembers(out, cluster);
      return 0;
    }

    private static void printMembers(Output out, DescribeClusterResponse cluster) {
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
    }

    private static void printWithShards(
        Output out, DescribeClusterResponse cluster, List<ShardLeader> leaders) {
      if (out.json()) {
        ObjectNode document = Output.object();
        ArrayNode members = document.putArray("members");
        cluster.getServerNodesStatusList().forEach(s -> members.add(toJson(s)));
        ArrayNode shardArray = document.putArray("shards");
        leaders.forEach(l -> shardArray.add(l.toJson()));
        out.document(document);
        return;
      }
      printMembers(out, cluster);
      if (leaders.isEmpty()) {
        out.line("no shards");
        return;
      }
      TextTable table =
          new TextTable("STREAM", "SHARD", "LEADER", "ADDRESS", "COMMITTED", "REPLICAS (NODE:LAG)");
      for (ShardLeader leader : leaders) {
        table.row(
            leader.stream(),
            Long.toUnsignedString(leader.shardId()),
            leader.node() == null ? "-" : Integer.toUnsignedString(leader.node().getId()),
            leader.node() == null
                ? leader.error()
                : leader.node().getHost() + ":" + leader.node().getPort(),
            leader.committed(),
            leader.replicaLags());
      }
      out.table(table);
    }
  }

  static ObjectNode toJson(ServerNodeStatus status) {
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
