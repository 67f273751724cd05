package io.inlet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inlet.api.hstream.DeleteSubscriptionRequest;
import io.inlet.api.hstream.ListSubscriptionsRequest;
import io.inlet.api.hstream.SpecialOffset;
import io.inlet.api.hstream.Subscription;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code inlet sub ...}: create, list, delete and consume subscriptions. */
@Command(
    name = "sub",
    aliases = "subscription",
    mixinStandardHelpOptions = true,
    description = "Create, list, delete and consume subscriptions.",
    subcommands = {
      SubscriptionCommand.Create.class,
      SubscriptionCommand.ListSubscriptions.class,
      SubscriptionCommand.Delete.class,
      SubscriptionConsumeCommand.class,
    })
final class SubscriptionCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    return CliFailures.missingSubcommand(spec);
  }

  /** Where a new subscription starts. */
  enum StartOffset {
    earliest(SpecialOffset.EARLIEST),
    latest(SpecialOffset.LATEST);

    final SpecialOffset wire;

    StartOffset(SpecialOffset wire) {
      this.wire = wire;
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a subscription on a stream.")
  static final class Create implements Callable<Integer> {
    @Spec private CommandSpec spec;
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "ID", description = "The subscription's id.")
    private String id;

    @Option(
        names = "--stream",
        paramLabel = "S",
        required = true,
        description = "The stream it delivers.")
    private String stream;

    @Option(
        names = "--offset",
        paramLabel = "earliest|latest",
        defaultValue = "earliest",
        description =
            "Where delivery starts: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private StartOffset offset;

    @Option(
        names = "--ack-timeout",
        paramLabel = "SECONDS",
        defaultValue = "60",
        description =
            "Redeliver records not acknowledged within this time (default: ${DEFAULT-VALUE}).")
    private int ackTimeoutSeconds;

    @Option(
        names = "--max-unacked",
        paramLabel = "N",
        defaultValue = "10000",
        description =
            "Stop delivering while N records are unacknowledged (default: ${DEFAULT-VALUE}).")
    private int maxUnacked;

    @Override
    public Integer call() {
      StreamCommand.requirePositive(spec, "--ack-timeout", ackTimeoutSeconds);
      StreamCommand.requirePositive(spec, "--max-unacked", maxUnacked);
      Subscription created;
      try (InletClient inlet = client.connect()) {
        created =
            inlet
                .unary()
                .createSubscription(
                    Subscription.newBuilder()
                        .setSubscriptionId(id)
                        .setStreamName(stream)
                        .setOffset(offset.wire)
                        .setAckTimeoutSeconds(ackTimeoutSeconds)
                        .setMaxUnackedRecords(maxUnacked)
                        .build());
      }
      Output out = client.output();
      if (out.json()) {
        out.document(toJson(created));
      } else {
        out.line(
            "created subscription "
                + created.getSubscriptionId()
                + " on stream "
                + created.getStreamName()
                + " (offset "
                + offsetName(created)
                + ", ack timeout "
                + created.getAckTimeoutSeconds()
                + "s, max unacked "
                + created.getMaxUnackedRecords()
                + ")");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List subscriptions.")
  static final class ListSubscriptions implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Override
    public Integer call() {
      List<Subscription> subscriptions;
      try (InletClient inlet = client.connect()) {
        subscriptions =
            inlet
                .unary()
                .listSubscriptions(ListSubscriptionsRequest.getDefaultInstance())
                .getSubscriptionList();
      }
      Output out = client.output();
      if (out.printedJsonOrNone("subscriptions", subscriptions, SubscriptionCommand::toJson)) {
        return 0;
      }
      TextTable table =
          new TextTable("ID", "STREAM", "OFFSET", "ACK TIMEOUT", "MAX UNACKED", "CREATED");
      for (Subscription s : subscriptions) {
        table.row(
            s.getSubscriptionId(),
            s.getStreamName(),
            offsetName(s),
            s.getAckTimeoutSeconds() + "s",
            s.getMaxUnackedRecords(),
            StreamCommand.orDash(Output.instant(s.getCreationTime())));
      }
      out.table(table);
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a subscription.")
  static final class Delete implements Callable<Integer> {
    @Mixin private ClientOptions client;

    @Parameters(paramLabel = "ID", description = "The subscription's id.")
    private String id;

    @Option(names = "--force", description = "Delete even while consumers are attached.")
    private boolean force;

    @Override
    public Integer call() {
      try (InletClient inlet = client.connect()) {
        inlet
            .unary()
            .deleteSubscription(
                DeleteSubscriptionRequest.newBuilder()
                    .setSubscriptionId(id)
                    .setForce(force)
                    .build());
      }
      client.output().outcome("id", id, "deleted", true, "deleted subscription " + id);
      return 0;
    }
  }

  static ObjectNode toJson(Subscription subscription) {
    ObjectNode node = Output.object();
    node.put("id", subscription.getSubscriptionId());
    node.put("stream", subscription.getStreamName());
    node.put("offset", offsetName(subscription));
    node.put("ackTimeoutSeconds", subscription.getAckTimeoutSeconds());
    node.put("maxUnackedRecords", subscription.getMaxUnackedRecords());
    node.put("createdAt", Output.instant(subscription.getCreationTime()));
    return node;
  }

  private static String offsetName(Subscription subscription) {
    return subscription.getOffset() == SpecialOffset.UNRECOGNIZED
        ? "unknown"
        : subscription.getOffset().name().toLowerCase(Locale.ROOT);
  }
}
