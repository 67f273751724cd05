package io.inlet.bridge.rules;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.inlet.bridge.config.RoutingConfigCodec;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Stored form of a runtime rule: one format byte, then a serialized {@link Struct} with the rule's
 * settings under their config-file names ({@link RoutingConfigCodec#ruleFields}, read back by
 * {@link RoutingConfigCodec#rule}), plus its sequence and creation time. Unknown fields are ignored
 * and missing ones take their defaults, so fields can be added without a migration.
 */
public final class RuleCodec {
  static final byte FORMAT = 1;
  private static final String SEQUENCE = "sequence";
  private static final String CREATED_AT = "created-at-ms";

  private RuleCodec() {}

  public static byte[] encode(RuleEntry entry) {
    Struct.Builder s = Struct.newBuilder();
    RoutingConfigCodec.ruleFields(entry.rule())
        .forEach((name, value) -> s.putFields(name, value(value)));
    s.putFields(SEQUENCE, value(entry.sequence()));
    if (entry.createdAt() != null) {
      s.putFields(CREATED_AT, value(entry.createdAt().toEpochMilli()));
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
      f = Struct.parser().parseFrom(value, 1, value.length - 1).getFieldsMap();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored rule is corrupt: " + e.getMessage(), e);
    }
    Map<String, Object> fields = new HashMap<>();
    f.forEach((name, v) -> fields.put(name, plain(v)));
    try {
      MappingRule rule = RoutingConfigCodec.rule(fields);
      Instant createdAt =
          f.containsKey(CREATED_AT)
              ? Instant.ofEpochMilli((long) f.get(CREATED_AT).getNumberValue())
              : null;
      long sequence = f.containsKey(SEQUENCE) ? (long) f.get(SEQUENCE).getNumberValue() : 0;
      return new RuleEntry(rule, RuleSource.RUNTIME, sequence, createdAt);
    } catch (InvalidRuleException e) {
      throw new IllegalStateException("stored rule is no longer valid: " + e.getMessage(), e);
    }
  }

  private static Value value(Object value) {
    if (value instanceof Boolean b) {
      return Value.newBuilder().setBoolValue(b).build();
    }
    if (value instanceof Number n) {
      // Struct numbers are doubles: exact for every value a rule holds (< 2^53).
      return Value.newBuilder().setNumberValue(n.doubleValue()).build();
    }
    return Value.newBuilder().setStringValue(String.valueOf(value)).build();
  }

  private static Object plain(Value v) {
    return switch (v.getKindCase()) {
      case BOOL_VALUE -> v.getBoolValue();
      case NUMBER_VALUE -> v.getNumberValue();
      case STRING_VALUE -> v.getStringValue();
      default -> null;
    };
  }
}
