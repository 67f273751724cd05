package io.inlet.bridge.rules;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.time.Instant;
import java.util.Map;

/**
 * Stored form of a runtime rule: one format byte, then a serialized {@link Struct} with the rule's
 * settings under their config-file names. Unknown fields are ignored and missing ones take their
 * defaults, so fields can be added without a migration.
 */
public final class RuleCodec {
  static final byte FORMAT = 1;

  private RuleCodec() {}

  public static byte[] encode(RuleEntry entry) {
    MappingRule rule = entry.rule();
    Struct.Builder s = Struct.newBuilder();
    put(s, "name", rule.name());
    put(s, "topic", rule.topicFilter().toString());
    put(s, "stream", rule.stream());
    put(s, "key", rule.keyTemplate().toString());
    put(s, "payload", rule.payloadMode().configName());
    put(s, "non-json", rule.nonJson().configName());
    s.putFields("auto-create", Value.newBuilder().setBoolValue(rule.autoCreateStream()).build());
    put(s, "shards", rule.shardCount());
    put(s, "position", rule.position());
    put(s, "sequence", entry.sequence());
    if (entry.createdAt() != null) {
      put(s, "created-at-ms", entry.createdAt().toEpochMilli());
    }
    byte[] body = s.build().toByteArray();
    byte[] value = new byte[body.length + 1];
    value[0] = FORMAT;
    System.arraycopy(body, 0, value, 1, body.length);
    return value;
  }

  /**
   * @throws IllegalStateException when the bytes are not a stored rule of a known format, or hold a
   *     rule that no longer validates (the message says which)
   */
  public static RuleEntry decode(byte[] value) {
    if (value.length == 0 || value[0] != FORMAT) {
      throw new IllegalStateException(
          "stored rule has unknown format "
              + (value.length == 0 ? "(empty)" : Byte.toString(value[0]))
              + "; was the data directory written by a newer Inlet?");
    }
    Map<String, Value> f;
    try {
      f = Struct.parseFrom(java.util.Arrays.copyOfRange(value, 1, value.length)).getFieldsMap();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored rule is corrupt: " + e.getMessage(), e);
    }
    try {
      MappingRule rule =
          MappingRule.builder(text(f, "name", null)).topic(text(f, "topic", null)).stream(
                  text(f, "stream", null))
              .key(text(f, "key", KeyTemplate.DEFAULT))
              .payload(PayloadMode.parse(text(f, "payload", "raw")))
              .nonJson(NonJsonPolicy.parse(text(f, "non-json", "reject")))
              .autoCreateStream(
                  !f.containsKey("auto-create") || f.get("auto-create").getBoolValue())
              .shards((int) number(f, "shards", 1))
              .position((int) number(f, "position", MappingRule.DEFAULT_POSITION))
              .build();
      Instant createdAt =
          f.containsKey("created-at-ms")
              ? Instant.ofEpochMilli(number(f, "created-at-ms", 0))
              : null;
      return new RuleEntry(rule, RuleSource.RUNTIME, number(f, "sequence", 0), createdAt);
    } catch (InvalidRuleException e) {
      throw new IllegalStateException("stored rule is no longer valid: " + e.getMessage(), e);
    }
  }

  private static void put(Struct.Builder s, String name, String text) {
    s.putFields(name, Value.newBuilder().setStringValue(text).build());
  }

  private static void put(Struct.Builder s, String name, long number) {
    // Struct numbers are doubles: exact for every value a rule holds (< 2^53).
    s.putFields(name, Value.newBuilder().setNumberValue(number).build());
  }

  private static String text(Map<String, Value> f, String name, String absent) {
    Value v = f.get(name);
    return v == null ? absent : v.getStringValue();
  }

  private static long number(Map<String, Value> f, String name, long absent) {
    Value v = f.get(name);
    return v == null ? absent : (long) v.getNumberValue();
  }
}
