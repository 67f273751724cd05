package io.inlet.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inlet.api.hstream.DeleteStreamRequest;
import io.inlet.api.hstream.GetStreamRequest;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ListStreamsRequest;
import io.inlet.api.hstream.ListStreamsWithPrefixRequest;
import io.inlet.api.hstream.Shard;
import io.inlet.api.hstream.Stream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inlet stream ...}: create, inspect, delete, write and read streams. */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = "Create, inspect, delete, append to and read streams.",
    subcommands = {
      StreamCommand.Create.class,
      StreamCommand.ListStreams.class,
      StreamCommand.Describe.class,
      StreamCommand.Delete.class,
      StreamAppendCommand.class,
      StreamReadCommand.class,
    })
final class StreamCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    return CliFailures.missingSubcommand(spec);
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a stream.")
  static final class Create implements Callable<Integer> {
    @Spec private CommandSpec spec;
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The stream's name.")
    private String name;

    @Option(
        names = "--shards",
        defaultValue = "1",
        description =
            "Number of shards; they split the key space evenly (default: ${DEFAULT-VALUE}).")
    private int shards;

    @Option(
        names = "--replication-factor",
        defaultValue = "1",
        description = "Copies of each record (default: ${DEFAULT-VALUE}).")
    private int replicationFactor;

    @Option(
        names = "--backlog-seconds",
        defaultValue = "0",
        description =
            "Retention in seconds; 0 keeps records until trimmed (default: ${DEFAULT-VALUE}).")
    private int backlogSeconds;

    @Override
    public Integer call() {
      requirePositive(spec, "--shards", shards);
      requirePositive(spec, "--replication-factor", replicationFactor);
      if (backlogSeconds < 0) {
        throw new ParameterException(
            spec.commandLine(), "--backlog-seconds must be >= 0, found: " + backlogSeconds);
      }
      Stream request =
          Stream.newBuilder()
              .setStreamName(name)
              .setShardCount(shards)
              .setReplicationFactor(replicationFactor)
              .setBacklogDuration(backlogSeconds)
              .build();
      Stream created;
      try (InletClient inlet = client.connect()) {
        created = inlet.unary().createStream(request);
      }
      Output out = client.output();
      if (out.json()) {
        out.document(toJson(created));
      } else {
        out.line(
            "created stream "
                + created.getStreamName()
                + " ("
                + plural(created.getShardCount(), "shard")
                + ", replication factor "
                + created.getReplicationFactor()
                + ", backlog "
                + backlog(created)
                + ")");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List streams.")
  static final class ListStreams implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Option(
        names = "--prefix",
        paramLabel = "P",
        description = "Only streams whose name starts with P.")
    private String prefix;

    @Override
    public Integer call() {
      List<Stream> streams;
      try (InletClient inlet = client.connect()) {
        streams =
            prefix == null
                ? inlet
                    .unary()
                    .listStreams(ListStreamsRequest.getDefaultInstance())
                    .getStreamsList()
                : inlet
                    .unary()
                    .listStreamsWithPrefix(
                        ListStreamsWithPrefixRequest.newBuilder().setPrefix(prefix).build())
                    .getStreamsList();
      }
      Output out = client.output();
      if (out.printedJsonOrNone("streams", streams, StreamCommand::toJson)) {
        return 0;
      }
      TextTable table = new TextTable("NAME", "SHARDS", "REPLICATION", "BACKLOG", "CREATED");
      for (Stream s : streams) {
        table.row(
            s.getStreamName(),
            s.getShardCount(),
            s.getReplicationFactor(),
            backlog(s),
            orDash(Output.instant(s.getCreationTime())));
      }
      out.table(table);
      return 0;
    }
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description = "Show a stream's settings and its shards with their key ranges.")
  static final class Describe implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The stream's name.")
    private String name;

    @Override
    public Integer call() {
      Stream stream;
      List<Shard> shards;
      try (InletClient inlet = client.connect()) {
        stream =
            inlet
                .unary()
                .getStream(GetStreamRequest.newBuilder().setName(name).build())
                .getStream();
        shards =
            inlet
                .unary()
                .listShards(ListShardsRequest.newBuilder().setStreamName(name).build())
                .getShardsList();
      }
      Output out = client.output();
      if (out.json()) {
        ObjectNode document = toJson(stream);
        ArrayNode array = document.putArray("shards");
        for (Shard shard : shards) {
          ObjectNode node = array.addObject();
          node.set("id", Output.unsigned(shard.getShardId()));
          node.put("startHashKey", shard.getStartHashRangeKey());
          node.put("endHashKey", shard.getEndHashRangeKey());
          node.put("active", shard.getIsActive());
        }
        out.document(document);
        return 0;
      }
      out.table(
          new TextTable("FIELD", "VALUE")
              .row("name", stream.getStreamName())
              .row("shards", stream.getShardCount())
              .row("replication factor", stream.getReplicationFactor())
              .row("backlog", backlog(stream))
              .row("created", orDash(Output.instant(stream.getCreationTime()))));
      out.line("");
      TextTable table = new TextTable("SHARD", "START KEY", "END KEY", "ACTIVE");
      for (Shard shard : shards) {
        table.row(
            Long.toUnsignedString(shard.getShardId()),
            shard.getStartHashRangeKey(),
            shard.getEndHashRangeKey(),
            shard.getIsActive() ? "yes" : "no");
      }
      out.table(table);
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a stream.")
  static final class Delete implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The stream's name.")
    private String name;

    @Option(names = "--force", description = "Delete even when subscriptions read from it.")
    private boolean force;

    @Option(names = "--ignore-missing", description = "Succeed when there is no such stream.")
    private boolean ignoreMissing;

    @Override
    public Integer call() {
      try (InletClient inlet = client.connect()) {
        inlet
            .unary()
            .deleteStream(
                DeleteStreamRequest.newBuilder()
                    .setStreamName(name)
                    .setForce(force)
                    .setIgnoreNonExist(ignoreMissing)
                    .build());
      }
      client.output().outcome("name", name, "deleted", true, "deleted stream " + name);
      return 0;
    }
  }

  static ObjectNode toJson(Stream stream) {
    ObjectNode node = Output.object();
    node.put("name", stream.getStreamName());
    node.put("shardCount", Integer.toUnsignedLong(stream.getShardCount()));
    node.put("replicationFactor", Integer.toUnsignedLong(stream.getReplicationFactor()));
    node.put("backlogSeconds", Integer.toUnsignedLong(stream.getBacklogDuration()));
    node.put("createdAt", Output.instant(stream.getCreationTime()));
    return node;
  }

  private static String backlog(Stream stream) {
    return stream.getBacklogDuration() == 0
        ? "unlimited"
        : Integer.toUnsignedString(stream.getBacklogDuration()) + "s";
  }

  static String orDash(String text) {
    return text == null ? "-" : text;
  }

  static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  static void requirePositive(CommandSpec spec, String option, int value) {
    if (value < 1) {
      throw new ParameterException(
          spec.commandLine(), option + " must be at least 1, found: " + value);
    }
  }
}
