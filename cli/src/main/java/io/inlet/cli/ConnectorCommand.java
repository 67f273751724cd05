package io.inlet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inlet.api.hstream.Connector;
import io.inlet.api.hstream.CreateConnectorRequest;
import io.inlet.api.hstream.DeleteConnectorRequest;
import io.inlet.api.hstream.GetConnectorLogsRequest;
import io.inlet.api.hstream.GetConnectorRequest;
import io.inlet.api.hstream.GetConnectorSpecRequest;
import io.inlet.api.hstream.ListConnectorsRequest;
import io.inlet.api.hstream.PauseConnectorRequest;
import io.inlet.api.hstream.ResumeConnectorRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inlet connector ...}: HStream IO connectors over the gRPC API (CreateConnector,
 * ListConnectors, GetConnector, GetConnectorLogs, GetConnectorSpec, Pause/Resume/DeleteConnector).
 */
@Command(
    name = "connector",
    aliases = "connectors",
    mixinStandardHelpOptions = true,
    description = "Create, list, describe, pause, resume and delete connectors (HStream IO).",
    subcommands = {
      ConnectorCommand.Create.class,
      ConnectorCommand.ListConnectors.class,
      ConnectorCommand.Describe.class,
      ConnectorCommand.Logs.class,
      ConnectorCommand.SpecOf.class,
      ConnectorCommand.Pause.class,
      ConnectorCommand.Resume.class,
      ConnectorCommand.Delete.class,
    })
final class ConnectorCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    return CliFailures.missingSubcommand(spec);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a connector and start it.",
        "Example: inlet connector create shop-cdc --type source --target mariadb"
            + " -c stream=orders -c host=127.0.0.1 -c user=inlet_cdc -c password=inlet_cdc"
            + " -c database=shop -c table=orders"
      })
  static final class Create implements Callable<Integer> {
    @Spec private CommandSpec spec;
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The connector's name.")
    private String name;

    @Option(
        names = "--type",
        paramLabel = "source|sink",
        required = true,
        description = "source (a database into a stream) or sink (a stream into a database).")
    private String type;

    @Option(
        names = "--target",
        paramLabel = "T",
        required = true,
        description = "mysql, mariadb, postgresql or sqlserver (sinks: not sqlserver).")
    private String target;

    @Option(
        names = {"-c", "--config"},
        paramLabel = "KEY=VALUE",
        description = "A config key (repeat it); `inlet connector spec` lists them.")
    private List<String> pairs = List.of();

    @Option(
        names = "--config-json",
        paramLabel = "JSON",
        description = "The config as one JSON object (the -c keys are added to it).")
    private String json;

    @Override
    public Integer call() {
      ObjectNode config = Output.object();
      if (json != null) {
        try {
          com.fasterxml.jackson.databind.JsonNode parsed = Output.JSON.readTree(json);
          if (!parsed.isObject()) {
            throw new ParameterException(spec.commandLine(), "--config-json must be a JSON object");
          }
          config.setAll((ObjectNode) parsed);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new ParameterException(
              spec.commandLine(), "--config-json is not valid JSON: " + e.getOriginalMessage());
        }
      }
      for (String pair : pairs) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new ParameterException(
              spec.commandLine(), "--config takes KEY=VALUE, found: " + pair);
        }
        config.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      Connector created;
      try (InletClient inlet = client.connect()) {
        created =
            inlet
                .unary()
                .createConnector(
                    CreateConnectorRequest.newBuilder()
                        .setName(name)
                        .setType(type)
                        .setTarget(target)
                        .setConfig(config.toString())
                        .build());
      }
      Output out = client.output();
      if (out.json()) {
        out.document(toJson(created));
      } else {
        out.line(
            "created "
                + created.getType().toLowerCase(java.util.Locale.ROOT)
                + " connector "
                + created.getName()
                + " ("
                + created.getTarget()
                + "), status "
                + created.getStatus());
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List connectors.")
  static final class ListConnectors implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Override
    public Integer call() {
      List<Connector> connectors;
      try (InletClient inlet = client.connect()) {
        connectors =
            inlet
                .unary()
                .listConnectors(ListConnectorsRequest.getDefaultInstance())
                .getConnectorsList();
      }
      Output out = client.output();
      if (out.printedJsonOrNone("connectors", connectors, ConnectorCommand::toJson)) {
        return 0;
      }
      TextTable table = new TextTable("NAME", "TYPE", "TARGET", "STATUS", "NODE", "CREATED");
      for (Connector c : connectors) {
        table.row(
            c.getName(),
            c.getType(),
            c.getTarget(),
            c.getStatus(),
            StreamCommand.orDash(c.getNode()),
            StreamCommand.orDash(Output.instant(c.getCreationTime())));
      }
      out.table(table);
      return 0;
    }
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description = "Show a connector: status (and why it failed), config, stored positions.")
  static final class Describe implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The connector's name.")
    private String name;

    @Override
    public Integer call() {
      Connector c;
      try (InletClient inlet = client.connect()) {
        c = inlet.unary().getConnector(GetConnectorRequest.newBuilder().setName(name).build());
      }
      Output out = client.output();
      if (out.json()) {
        out.document(toJson(c));
        return 0;
      }
      out.line("name:     " + c.getName());
      out.line("type:     " + c.getType() + " (" + c.getTarget() + ")");
      out.line("status:   " + c.getStatus());
      if (!c.getDockerStatus().isEmpty()) {
        out.line("          " + c.getDockerStatus());
      }
      out.line("node:     " + StreamCommand.orDash(c.getNode()));
      out.line("created:  " + StreamCommand.orDash(Output.instant(c.getCreationTime())));
      out.line("config:   " + c.getConfig());
      for (com.google.protobuf.Struct offset : c.getOffsetsList()) {
        out.line(
            "position: "
                + io.inlet.api.record.HStreamRecords.payloadAsText(
                    io.inlet.api.record.HStreamRecords.json("", offset, Map.of())));
      }
      return 0;
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a connector's log.")
  static final class Logs implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The connector's name.")
    private String name;

    @Option(names = "--begin", paramLabel = "N", defaultValue = "0", description = "First line.")
    private int begin;

    @Option(
        names = "--count",
        paramLabel = "N",
        defaultValue = "0",
        description = "Lines to print (0: all kept, the last 1000).")
    private int count;

    @Override
    public Integer call() {
      String logs;
      try (InletClient inlet = client.connect()) {
        logs =
            inlet
                .unary()
                .getConnectorLogs(
                    GetConnectorLogsRequest.newBuilder()
                        .setName(name)
                        .setBegin(begin)
                        .setCount(count)
                        .build())
                .getLogs();
      }
      if (!logs.isEmpty()) {
        client.output().line(logs);
      }
      return 0;
    }
  }

  @Command(
      name = "spec",
      mixinStandardHelpOptions = true,
      description =
          "Print the JSON schema of a connector type's config: every key, default, meaning.")
  static final class SpecOf implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Option(
        names = "--type",
        paramLabel = "source|sink",
        required = true,
        description = "source or sink.")
    private String type;

    @Option(names = "--target", paramLabel = "T", required = true, description = "e.g. mariadb.")
    private String target;

    @Override
    public Integer call() {
      String schema;
      try (InletClient inlet = client.connect()) {
        schema =
            inlet
                .unary()
                .getConnectorSpec(
                    GetConnectorSpecRequest.newBuilder().setType(type).setTarget(target).build())
                .getSpec();
      }
      client.output().line(schema);
      return 0;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a connector.")
  static final class Pause implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The connector's name.")
    private String name;

    @Override
    public Integer call() {
      try (InletClient inlet = client.connect()) {
        inlet.unary().pauseConnector(PauseConnectorRequest.newBuilder().setName(name).build());
      }
      return done(client, name, "paused");
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a connector.")
  static final class Resume implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The connector's name.")
    private String name;

    @Override
    public Integer call() {
      try (InletClient inlet = client.connect()) {
        inlet.unary().resumeConnector(ResumeConnectorRequest.newBuilder().setName(name).build());
      }
      return done(client, name, "resumed");
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a connector with its stored positions (its stream stays).")
  static final class Delete implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The connector's name.")
    private String name;

    @Override
    public Integer call() {
      try (InletClient inlet = client.connect()) {
        inlet.unary().deleteConnector(DeleteConnectorRequest.newBuilder().setName(name).build());
      }
      return done(client, name, "deleted");
    }
  }

  private static int done(ClientOptions client, String name, String what) {
    client.output().outcome("name", name, what, true, what + " connector " + name);
    return 0;
  }

  static ObjectNode toJson(Connector c) {
    ObjectNode node = Output.object();
    node.put("name", c.getName());
    node.put("type", c.getType());
    node.put("target", c.getTarget());
    node.put("status", c.getStatus());
    if (!c.getDockerStatus().isEmpty()) {
      node.put("detail", c.getDockerStatus());
    }
    node.put("node", c.getNode());
    node.put("created", Output.instant(c.getCreationTime()));
    try {
      node.set("config", Output.JSON.readTree(c.getConfig().isEmpty() ? "{}" : c.getConfig()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      node.put("config", c.getConfig());
    }
    return node;
  }
}
