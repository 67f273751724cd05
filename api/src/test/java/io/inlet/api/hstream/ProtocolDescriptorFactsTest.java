package io.inlet.api.hstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares Inlet's {@code hstream.proto} with the published HStreamDB protocol, kept as facts in
 * {@code hstream-protocol-facts.txt} (its header says where each fact was checked). Every message,
 * enum and RPC of our file must be there with exactly the listed fields, values and types.
 */
class ProtocolDescriptorFactsTest {
  private static final Set<String> SOURCES = Set.of("A", "G", "H", "R", "R?", "U");

  private static final FileDescriptor FILE = HStreamApiProto.getDescriptor();
  private static final Map<String, List<String>> MESSAGES = new LinkedHashMap<>();
  private static final Map<String, List<String>> ENUMS = new LinkedHashMap<>();
  private static final Map<String, List<String>> SERVICES = new LinkedHashMap<>();

  @BeforeAll
  static void readFacts() throws IOException {
    String text;
    try (InputStream in =
        ProtocolDescriptorFactsTest.class.getResourceAsStream("/hstream-protocol-facts.txt")) {
      assertThat(in).as("hstream-protocol-facts.txt on the test classpath").isNotNull();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> current = null;
    for (String raw : text.split("\n")) {
      if (raw.isBlank() || raw.startsWith("#")) {
        continue;
      }
      String[] words = raw.trim().split(" ");
      if (!raw.startsWith(" ")) {
        current = new ArrayList<>();
        Map<String, List<String>> kind =
            switch (words[0]) {
              case "message" -> MESSAGES;
              case "enum" -> ENUMS;
              case "service" -> SERVICES;
              default -> throw new IllegalStateException("unknown fact: " + raw);
            };
        if (words.length > 2) {
          assertThat(SOURCES).as("source tag of " + raw).contains(words[2]);
        }
        kind.put(words[1], current);
      } else {
        assertThat(current).as("a member line before any block: " + raw).isNotNull();
        current.add(withoutSourceTag(words));
      }
    }
  }

  /** Member facts without their trailing source tag, so that only the wire facts compare. */
  private static String withoutSourceTag(String[] words) {
    int end = SOURCES.contains(words[words.length - 1]) ? words.length - 1 : words.length;
    return String.join(" ", List.of(words).subList(0, end));
  }

  @Test
  void every_message_has_the_published_fields() {
    Map<String, List<String>> ours = new LinkedHashMap<>();
    for (Descriptor message : FILE.getMessageTypes()) {
      collect(message, "", ours);
    }
    assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(MESSAGES.keySet());
    ours.forEach(
        (name, fields) ->
            assertThat(fields)
                .as("fields of " + name)
                .containsExactlyElementsOf(MESSAGES.get(name)));
  }

  @Test
  void every_enum_has_the_published_values() {
    Map<String, List<String>> ours = new LinkedHashMap<>();
    for (EnumDescriptor e : FILE.getEnumTypes()) {
      ours.put(e.getName(), values(e));
    }
    for (Descriptor message : FILE.getMessageTypes()) {
      for (EnumDescriptor e : message.getEnumTypes()) {
        ours.put(message.getName() + "." + e.getName(), values(e));
      }
    }
    assertThat(ours.keySet()).containsExactlyInAnyOrderElementsOf(ENUMS.keySet());
    ours.forEach(
        (name, values) ->
            assertThat(values).as("values of " + name).containsExactlyElementsOf(ENUMS.get(name)));
  }

  @Test
  void the_service_has_the_published_rpcs() {
    assertThat(FILE.getPackage()).isEqualTo("hstream.server");
    assertThat(FILE.getServices())
        .extracting(ServiceDescriptor::getName)
        .containsExactly("HStreamApi");
    List<String> rpcs = new ArrayList<>();
    for (MethodDescriptor method : FILE.getServices().get(0).getMethods()) {
      String kind =
          method.isClientStreaming() && method.isServerStreaming()
              ? "bidi"
              : method.isServerStreaming()
                  ? "server-stream"
                  : method.isClientStreaming() ? "client-stream" : "unary";
      rpcs.add(
          String.join(
              " ",
              "rpc",
              method.getName(),
              typeName(method.getInputType().getFullName()),
              typeName(method.getOutputType().getFullName()),
              kind));
    }
    assertThat(rpcs).containsExactlyInAnyOrderElementsOf(SERVICES.get("HStreamApi"));
  }

  @Test
  void the_stream_statistic_numbers_clients_send_are_known() {
    // The reason for the upgrade: GetStats with streamStat 4 used to fail as "invalid".
    assertThat(StreamStats.forNumber(4)).isEqualTo(StreamStats.ReadInBytes);
    assertThat(StreamStats.forNumber(5)).isEqualTo(StreamStats.ReadInBatches);
    assertThat(ErrorCode.forNumber(210)).isEqualTo(ErrorCode.StreamShardNotExists);
  }

  private static void collect(Descriptor message, String prefix, Map<String, List<String>> out) {
    if (message.getOptions().getMapEntry()) {
      return;
    }
    String name = prefix + message.getName();
    List<String> fields = new ArrayList<>();
    for (FieldDescriptor field : message.getFields()) {
      StringBuilder fact =
          new StringBuilder("field ")
              .append(field.getName())
              .append(' ')
              .append(field.getNumber())
              .append(' ')
              .append(type(field))
              .append(field.isRepeated() && !field.isMapField() ? " repeated" : " single");
      if (field.getRealContainingOneof() != null) {
        fact.append(" oneof=").append(field.getRealContainingOneof().getName());
      }
      fields.add(fact.toString());
    }
    out.put(name, fields);
    for (Descriptor nested : message.getNestedTypes()) {
      collect(nested, name + ".", out);
    }
  }

  private static List<String> values(EnumDescriptor e) {
    List<String> values = new ArrayList<>();
    for (EnumValueDescriptor v : e.getValues()) {
      values.add("value " + v.getName() + " " + v.getNumber());
    }
    return values;
  }

  private static String type(FieldDescriptor field) {
    if (field.isMapField()) {
      Descriptor entry = field.getMessageType();
      return "map<" + type(entry.getFields().get(0)) + "," + type(entry.getFields().get(1)) + ">";
    }
    return switch (field.getType()) {
      case MESSAGE -> typeName(field.getMessageType().getFullName());
      case ENUM -> typeName(field.getEnumType().getFullName());
      default -> field.getType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String typeName(String fullName) {
    return fullName.startsWith("hstream.server.")
        ? fullName.substring("hstream.server.".length())
        : fullName;
  }
}
