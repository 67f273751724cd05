package io.inlet.server.admin;

import com.google.protobuf.Timestamp;
import io.inlet.api.admin.BridgeState;
import io.inlet.api.admin.IngestCounts;
import io.inlet.api.admin.NonJsonPolicy;
import io.inlet.api.admin.PayloadMode;
import io.inlet.api.admin.Rule;
import io.inlet.api.admin.RuleSource;
import io.inlet.bridge.client.BridgeStatus;
import io.inlet.bridge.rules.IngestCounters;
import io.inlet.bridge.rules.MappingRule;
import io.inlet.bridge.rules.RuleEntry;
import java.time.Instant;

/** Converts between the admin API's messages and the rules and bridge types: the one place. */
final class AdminMessages {
  private AdminMessages() {}

  /**
   * A rule from an AddRule request; unset fields take their defaults.
   *
   * @throws io.inlet.bridge.rules.InvalidRuleException naming the bad setting
   */
  static MappingRule toRule(Rule rule) {
    MappingRule.Builder builder =
        MappingRule.builder(rule.getName()).topic(rule.getTopicFilter()).stream(rule.getStream())
            .payload(
                rule.getPayloadMode() == PayloadMode.PAYLOAD_MODE_JSON
                    ? io.inlet.bridge.rules.PayloadMode.JSON
                    : io.inlet.bridge.rules.PayloadMode.RAW)
            .nonJson(
                rule.getNonJson() == NonJsonPolicy.NON_JSON_POLICY_RAW
                    ? io.inlet.bridge.rules.NonJsonPolicy.RAW
                    : io.inlet.bridge.rules.NonJsonPolicy.REJECT);
    if (rule.hasKeyTemplate()) {
      builder.key(rule.getKeyTemplate());
    }
    if (rule.hasAutoCreateStream()) {
      builder.autoCreateStream(rule.getAutoCreateStream());
    }
    if (rule.hasShardCount()) {
      builder.shards(saturatedInt(rule.getShardCount()));
    }
    if (rule.hasPosition()) {
      builder.position(saturatedInt(rule.getPosition()));
    }
    return builder.build();
  }

  private static int saturatedInt(int unsigned) {
    return unsigned < 0 ? Integer.MAX_VALUE : unsigned;
  }

  static Rule toMessage(RuleEntry entry) {
    MappingRule rule = entry.rule();
    Rule.Builder message =
        Rule.newBuilder()
            .setName(rule.name())
            .setTopicFilter(rule.topicFilter().toString())
            .setStream(rule.stream())
            .setKeyTemplate(rule.keyTemplate().toString())
            .setPayloadMode(
                rule.payloadMode() == io.inlet.bridge.rules.PayloadMode.JSON
                    ? PayloadMode.PAYLOAD_MODE_JSON
                    : PayloadMode.PAYLOAD_MODE_RAW)
            .setNonJson(
                rule.nonJson() == io.inlet.bridge.rules.NonJsonPolicy.RAW
                    ? NonJsonPolicy.NON_JSON_POLICY_RAW
                    : NonJsonPolicy.NON_JSON_POLICY_REJECT)
            .setAutoCreateStream(rule.autoCreateStream())
            .setShardCount(rule.shardCount())
            .setPosition(rule.position())
            .setSource(
                switch (entry.source()) {
                  case CONFIG -> RuleSource.RULE_SOURCE_CONFIG;
                  case RUNTIME -> RuleSource.RULE_SOURCE_RUNTIME;
                  case BUILT_IN -> RuleSource.RULE_SOURCE_BUILT_IN;
                });
    if (entry.createdAt() != null) {
      message.setCreatedAt(timestamp(entry.createdAt()));
    }
    return message.build();
  }

  static IngestCounts toMessage(IngestCounters counters) {
    IngestCounters.Snapshot s = counters.snapshot();
    return IngestCounts.newBuilder()
        .setStored(s.stored())
        .setNoMatchingRule(s.noMatchingRule())
        .setRejected(s.rejected())
        .setFailed(s.failed())
        .build();
  }

  static io.inlet.api.admin.BridgeStatus toMessage(BridgeStatus status) {
    io.inlet.api.admin.BridgeStatus.Builder message =
        io.inlet.api.admin.BridgeStatus.newBuilder()
            .setName(status.name())
            .setHost(status.host())
            .setPort(status.port())
            .setTls(status.tls())
            .setMqttVersion(status.protocol())
            .setClientId(status.clientId())
            .addAllSubscriptions(status.subscriptions())
            .setState(
                switch (status.state()) {
                  case CONNECTING -> BridgeState.BRIDGE_STATE_CONNECTING;
                  case CONNECTED -> BridgeState.BRIDGE_STATE_CONNECTED;
                  case RECONNECTING -> BridgeState.BRIDGE_STATE_RECONNECTING;
                  case STOPPED -> BridgeState.BRIDGE_STATE_STOPPED;
                })
            .setSubscribed(status.subscribed())
            .setMessagesIn(status.messagesIn())
            .setMessagesStored(status.messagesStored())
            .setMessagesUnmatched(status.messagesUnmatched())
            .setMessagesRejected(status.messagesRejected())
            .setStoreFailures(status.storeFailures())
            .setReconnects(status.reconnects());
    if (status.connectedSince() != null) {
      message.setConnectedSince(timestamp(status.connectedSince()));
    }
    if (status.lastError() != null) {
      message.setLastError(status.lastError());
    }
    if (status.lastErrorAt() != null) {
      message.setLastErrorAt(timestamp(status.lastErrorAt()));
    }
    return message.build();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
