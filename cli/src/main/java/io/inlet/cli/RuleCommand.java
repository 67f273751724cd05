package io.inlet.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inlet.api.admin.AddRuleRequest;
import io.inlet.api.admin.AddRuleResponse;
import io.inlet.api.admin.DeleteRuleRequest;
import io.inlet.api.admin.IngestCounts;
import io.inlet.api.admin.ListRulesRequest;
import io.inlet.api.admin.ListRulesResponse;
import io.inlet.api.admin.NonJsonPolicy;
import io.inlet.api.admin.PayloadMode;
import io.inlet.api.admin.Rule;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inlet rule ...}: the MQTT topic → stream mapping rules of a running node. */
@Command(
    name = "rule",
    mixinStandardHelpOptions = true,
    description = {
      "Add, list and delete MQTT mapping rules (topic filter -> stream).",
      "Rules are tried in ascending position; the first whose topic filter matches wins."
    },
    subcommands = {RuleCommand.Add.class, RuleCommand.ListRules.class, RuleCommand.Delete.class})
final class RuleCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    return CliFailures.missingSubcommand(spec);
  }

  /** Payload modes as typed on the command line. */
  enum Payload {
    raw,
    json
  }

  /** Non-JSON policies as typed on the command line. */
  enum NonJson {
    reject,
    raw
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add a rule; it is saved in the node's store and applies to the next message.")
  static final class Add implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The rule's name.")
    private String name;

    @Option(
        names = {"-t", "--topic"},
        paramLabel = "FILTER",
        required = true,
        description = "MQTT topic filter: + matches one level, # (last) any number.")
    private String topic;

    @Option(
        names = "--stream",
        paramLabel = "S",
        required = true,
        description = "The stream the records go to.")
    private String stream;

    @Option(
        names = "--key",
        paramLabel = "TEMPLATE",
        description =
            "Record key: text with $${clientid}, $${username}, $${topic}, $${topic.N}"
                + " (default: $${clientid}).")
    private String key;

    @Option(
        names = "--payload",
        paramLabel = "raw|json",
        defaultValue = "raw",
        description =
            "raw stores the bytes; json stores a JSON object as a JSON record (default:"
                + " ${DEFAULT-VALUE}).")
    private Payload payload;

    @Option(
        names = "--non-json",
        paramLabel = "reject|raw",
        defaultValue = "reject",
        description =
            "With --payload json: reject a payload that is not a JSON object, or store it raw"
                + " (default: ${DEFAULT-VALUE}).")
    private NonJson nonJson;

    @Option(
        names = "--auto-create",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description = "Create the stream when it is missing (default: on; --no-auto-create).")
    private boolean autoCreate;

    @Option(
        names = "--shards",
        paramLabel = "N",
        defaultValue = "1",
        description = "Shards of a stream the rule creates (default: ${DEFAULT-VALUE}).")
    private int shards;

    @Option(
        names = "--position",
        paramLabel = "N",
        defaultValue = "100",
        description =
            "Rules are tried in ascending position; at equal positions config-file rules go"
                + " first, then runtime rules in the order they were added (default:"
                + " ${DEFAULT-VALUE}).")
    private int position;

    @Override
    public Integer call() {
      Rule.Builder rule =
          Rule.newBuilder()
              .setName(name)
              .setTopicFilter(topic)
              .setStream(stream)
              .setPayloadMode(
                  payload == Payload.json
                      ? PayloadMode.PAYLOAD_MODE_JSON
                      : PayloadMode.PAYLOAD_MODE_RAW)
              .setNonJson(
                  nonJson == NonJson.raw
                      ? NonJsonPolicy.NON_JSON_POLICY_RAW
                      : NonJsonPolicy.NON_JSON_POLICY_REJECT)
              .setAutoCreateStream(autoCreate)
              .setShardCount(Math.max(0, shards))
              .setPosition(Math.max(0, position));
      if (shards < 0 || position < 0) {
        throw new CliException((shards < 0 ? "--shards" : "--position") + " must not be negative");
      }
      if (key != null) {
        rule.setKeyTemplate(key);
      }
      AddRuleResponse added;
      try (InletClient inlet = client.connect()) {
        added = inlet.admin().addRule(AddRuleRequest.newBuilder().setRule(rule).build());
      }
      Output out = client.output();
      if (out.json()) {
        ObjectNode document = toJson(added.getRule());
        ArrayNode warnings = document.putArray("warnings");
        added.getWarningsList().forEach(warnings::add);
        out.document(document);
      } else {
        Rule r = added.getRule();
        out.line(
            "added rule "
                + r.getName()
                + ": "
                + r.getTopicFilter()
                + " -> stream "
                + r.getStream()
                + " (key "
                + r.getKeyTemplate()
                + ", payload "
                + payloadName(r)
                + ", position "
                + r.getPosition()
                + ")");
        added.getWarningsList().forEach(w -> client.errWriter().println("warning: " + w));
        client.errWriter().flush();
      }
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the rules in the order they are tried, with the ingestion counters.")
  static final class ListRules implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Override
    public Integer call() {
      ListRulesResponse rules;
      try (InletClient inlet = client.connect()) {
        rules = inlet.admin().listRules(ListRulesRequest.getDefaultInstance());
      }
      Output out = client.output();
      if (out.json()) {
        ObjectNode document = Output.object();
        ArrayNode array = document.putArray("rules");
        rules.getRulesList().forEach(r -> array.add(toJson(r)));
        IngestCounts counts = rules.getCounts();
        ObjectNode counters = document.putObject("counts");
        counters.set("stored", Output.unsigned(counts.getStored()));
        counters.set("noMatchingRule", Output.unsigned(counts.getNoMatchingRule()));
        counters.set("rejected", Output.unsigned(counts.getRejected()));
        counters.set("failed", Output.unsigned(counts.getFailed()));
        out.document(document);
        return 0;
      }
      if (rules.getRulesCount() == 0) {
        out.line("no rules: MQTT messages match nothing and are not stored");
      } else {
        TextTable table =
            new TextTable(
                "POSITION", "NAME", "TOPIC", "STREAM", "KEY", "PAYLOAD", "AUTO-CREATE", "SOURCE");
        for (Rule r : rules.getRulesList()) {
          table.row(
              r.getPosition(),
              r.getName(),
              r.getTopicFilter(),
              r.getStream(),
              r.getKeyTemplate(),
              payloadName(r),
              r.getAutoCreateStream()
                  ? "yes (" + StreamCommand.plural(r.getShardCount(), "shard") + ")"
                  : "no",
              sourceName(r));
        }
        out.table(table);
      }
      IngestCounts c = rules.getCounts();
      out.line(
          "messages since start: "
              + Long.toUnsignedString(c.getStored())
              + " stored, "
              + Long.toUnsignedString(c.getNoMatchingRule())
              + " matched no rule, "
              + Long.toUnsignedString(c.getRejected())
              + " rejected, "
              + Long.toUnsignedString(c.getFailed())
              + " failed");
      return 0;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a rule added at runtime (config-file rules change in the file).")
  static final class Delete implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "NAME", description = "The rule's name.")
    private String name;

    @Override
    public Integer call() {
      try (InletClient inlet = client.connect()) {
        inlet.admin().deleteRule(DeleteRuleRequest.newBuilder().setName(name).build());
      }
      client.output().outcome("name", name, "deleted", true, "deleted rule " + name);
      return 0;
    }
  }

  static ObjectNode toJson(Rule rule) {
    ObjectNode node = Output.object();
    node.put("name", rule.getName());
    node.put("topic", rule.getTopicFilter());
    node.put("stream", rule.getStream());
    node.put("key", rule.getKeyTemplate());
    node.put("payload", payloadName(rule));
    node.put("nonJson", rule.getNonJson() == NonJsonPolicy.NON_JSON_POLICY_RAW ? "raw" : "reject");
    node.put("autoCreate", rule.getAutoCreateStream());
    node.put("shards", Integer.toUnsignedLong(rule.getShardCount()));
    node.put("position", Integer.toUnsignedLong(rule.getPosition()));
    node.put("source", sourceName(rule));
    node.put("createdAt", rule.hasCreatedAt() ? Output.instant(rule.getCreatedAt()) : null);
    return node;
  }

  private static String payloadName(Rule rule) {
    return rule.getPayloadMode() == PayloadMode.PAYLOAD_MODE_JSON ? "json" : "raw";
  }

  private static String sourceName(Rule rule) {
    return switch (rule.getSource()) {
      case RULE_SOURCE_CONFIG -> "config";
      case RULE_SOURCE_RUNTIME -> "runtime";
      case RULE_SOURCE_BUILT_IN -> "built-in";
      default -> rule.getSource().name().toLowerCase(Locale.ROOT);
    };
  }
}
