package io.inlet.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inlet.api.admin.BridgeState;
import io.inlet.api.admin.BridgeStatus;
import io.inlet.api.admin.GetBridgeStatusRequest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inlet bridge ...}: the bridges from upstream MQTT brokers (set up in the config file). */
@Command(
    name = "bridge",
    mixinStandardHelpOptions = true,
    description = "Show the bridges from upstream MQTT brokers (configured in the config file).",
    subcommands = {BridgeCommand.Status.class})
final class BridgeCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    return CliFailures.missingSubcommand(spec);
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Each bridge's connection state, last error and message counts.")
  static final class Status implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Parameters(
        paramLabel = "NAME",
        arity = "0..1",
        description = "Only this bridge (default: every bridge).")
    private String name;

    @Override
    public Integer call() {
      List<BridgeStatus> bridges;
      try (InletClient inlet = client.connect()) {
        bridges =
            inlet
                .admin()
                .getBridgeStatus(
                    GetBridgeStatusRequest.newBuilder().setName(name == null ? "" : name).build())
                .getBridgesList();
      }
      Output out = client.output();
      if (out.json()) {
        ObjectNode document = Output.object();
        ArrayNode array = document.putArray("bridges");
        bridges.forEach(b -> array.add(toJson(b)));
        out.document(document);
        return 0;
      }
      if (bridges.isEmpty()) {
        out.line("no bridges configured (see bridges: in the config file)");
        return 0;
      }
      TextTable table =
          new TextTable(
              "NAME",
              "BROKER",
              "STATE",
              "SINCE",
              "IN",
              "STORED",
              "UNMATCHED",
              "REJECTED",
              "STORE FAILURES",
              "RECONNECTS",
              "LAST ERROR");
      for (BridgeStatus b : bridges) {
        table.row(
            b.getName(),
            broker(b),
            stateName(b)
                + (b.getState() == BridgeState.BRIDGE_STATE_CONNECTED && !b.getSubscribed()
                    ? " (not subscribed)"
                    : ""),
            StreamCommand.orDash(
                b.hasConnectedSince() ? Output.instant(b.getConnectedSince()) : null),
            Long.toUnsignedString(b.getMessagesIn()),
            Long.toUnsignedString(b.getMessagesStored()),
            Long.toUnsignedString(b.getMessagesUnmatched()),
            Long.toUnsignedString(b.getMessagesRejected()),
            Long.toUnsignedString(b.getStoreFailures()),
            Long.toUnsignedString(b.getReconnects()),
            b.getLastError().isEmpty()
                ? "-"
                : b.getLastError()
                    + (b.hasLastErrorAt() ? " (" + Output.instant(b.getLastErrorAt()) + ")" : ""));
      }
      out.table(table);
      return 0;
    }
  }

  private static String broker(BridgeStatus b) {
    return (b.getTls() ? "mqtts://" : "mqtt://")
        + b.getHost()
        + ":"
        + b.getPort()
        + " (MQTT "
        + b.getMqttVersion()
        + ")";
  }

  private static String stateName(BridgeStatus b) {
    return b.getState().name().replace("BRIDGE_STATE_", "").toLowerCase(Locale.ROOT);
  }

  static ObjectNode toJson(BridgeStatus b) {
    ObjectNode node = Output.object();
    node.put("name", b.getName());
    node.put("host", b.getHost());
    node.put("port", b.getPort());
    node.put("tls", b.getTls());
    node.put("mqttVersion", b.getMqttVersion());
    node.put("clientId", b.getClientId());
    ArrayNode subscriptions = node.putArray("subscriptions");
    b.getSubscriptionsList().forEach(subscriptions::add);
    node.put("state", stateName(b));
    node.put("subscribed", b.getSubscribed());
    node.put(
        "connectedSince", b.hasConnectedSince() ? Output.instant(b.getConnectedSince()) : null);
    node.put("lastError", b.getLastError().isEmpty() ? null : b.getLastError());
    node.put("lastErrorAt", b.hasLastErrorAt() ? Output.instant(b.getLastErrorAt()) : null);
    node.set("messagesIn", Output.unsigned(b.getMessagesIn()));
    node.set("messagesStored", Output.unsigned(b.getMessagesStored()));
    node.set("messagesUnmatched", Output.unsigned(b.getMessagesUnmatched()));
    node.set("messagesRejected", Output.unsigned(b.getMessagesRejected()));
    node.set("storeFailures", Output.unsigned(b.getStoreFailures()));
    node.set("reconnects", Output.unsigned(b.getReconnects()));
    return node;
  }
}
