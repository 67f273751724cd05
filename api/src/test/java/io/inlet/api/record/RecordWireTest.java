package io.inlet.api.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.inlet.api.hstream.HStreamRecord;
import io.inlet.api.hstream.HStreamRecordHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link RecordWire} accepts and refuses exactly what {@code HStreamRecord.parseFrom} does. */
class RecordWireTest {
  private static final int END_GROUP = WireFormat.WIRETYPE_END_GROUP;
  private static final int START_GROUP = WireFormat.WIRETYPE_START_GROUP;

  /** Both readers agree on {@code bytes}; returns whether they accepted it. */
  private static boolean agree(byte[] bytes) {
    ByteString input = ByteString.copyFrom(bytes);
    HStreamRecord parsed;
    try {
      parsed = HStreamRecord.parseFrom(input);
    } catch (InvalidProtocolBufferException e) {
      try {
        RecordWire.Shape shape = RecordWire.read(input);
        fail(
            "protobuf refused %s (%s) but RecordWire read flag %d",
            hex(bytes), e.getMessage(), shape.flag());
      } catch (InvalidProtocolBufferException expected) {
        // both refuse
      }
      return false;
    }
    RecordWire.Shape shape;
    try {
      shape = RecordWire.read(input);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(
          "protobuf accepted " + hex(bytes) + " but RecordWire refused it: " + e.getMessage(), e);
    }
    assertThat(shape.flag()).as(hex(bytes)).isEqualTo(parsed.getHeader().getFlagValue());
    assertThat(shape.payload()).as(hex(bytes)).isEqualTo(parsed.getPayload());
    return true;
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(String.format("%02x", b & 0xff));
    }
    return out.toString();
  }

  private static HStreamRecord randomRecord(Random random) {
    HStreamRecordHeader.Builder header = HStreamRecordHeader.newBuilder();
    header.setFlagValue(random.nextInt(4) == 0 ? random.nextInt(5) : random.nextInt(2));
    if (random.nextBoolean()) {
      header.setKey(randomText(random));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      header.putAttributes(randomText(random), randomText(random));
    }
    byte[] payload = new byte[random.nextInt(40)];
    random.nextBytes(payload);
    HStreamRecord.Builder record =
        HStreamRecord.newBuilder().setHeader(header).setPayload(ByteString.copyFrom(payload));
    if (random.nextInt(4) == 0) {
      record.setUnknownFields(
          com.google.protobuf.UnknownFieldSet.newBuilder()
              .addField(
                  3 + random.nextInt(10),
                  com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                      .addVarint(random.nextLong())
                      .build())
              .build());
    }
    return record.build();
  }

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(6); i > 0; i--) {
      text.appendCodePoint(random.nextInt(3) == 0 ? 0x4e00 + random.nextInt(100) : 'a' + i);
    }
    return text.toString();
  }

  @Test
  void valid_records_read_the_same() {
    Random random = new Random(1);
    for (int i = 0; i < 2_000; i++) {
      assertThat(agree(randomRecord(random).toByteArray())).isTrue();
    }
    assertThat(agree(new byte[0])).isTrue();
  }

  @Test
  void mutated_records_are_refused_and_accepted_alike() {
    Random random = new Random(2);
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 50_000; i++) {
      byte[] bytes = randomRecord(random).toByteArray();
      byte[] mutated = mutate(bytes, random);
      if (agree(mutated)) {
        accepted++;
      } else {
        refused++;
      }
    }
    // The mutations reach both outcomes often enough for the comparison to mean something.
    assertThat(accepted).isGreaterThan(5_000);
    assertThat(refused).isGreaterThan(5_000);
  }

  private static byte[] mutate(byte[] bytes, Random random) {
    byte[] out = bytes;
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      if (out.length == 0) {
        return new byte[] {(byte) random.nextInt(256)};
      }
      int at = random.nextInt(out.length);
      switch (random.nextInt(5)) {
        case 0 -> out[at] = (byte) random.nextInt(256);
        case 1 -> out[at] ^= (byte) (1 << random.nextInt(8));
        case 2 -> out = Arrays.copyOf(out, at);
        case 3 -> {
          byte[] longer = new byte[out.length + 1];
          System.arraycopy(out, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(out, at, longer, at + 1, out.length - at);
          out = longer;
        }
        default -> {
          byte[] shorter = new byte[out.length - 1];
          System.arraycopy(out, 0, shorter, 0, at);
          System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
          out = shorter;
        }
      }
    }
    return out;
  }

  @Test
  void hand_made_edge_cases_read_the_same() throws IOException {
    byte[] badUtf8 = {(byte) 0xc3, (byte) 0x28};
    // key, attribute key and attribute value that are not UTF-8
    assertThat(agree(record(header(field(3, badUtf8))))).isFalse();
    assertThat(agree(record(header(field(2, entry(field(1, badUtf8))))))).isFalse();
    assertThat(agree(record(header(field(2, entry(field(2, badUtf8))))))).isFalse();
    // the same bytes in the payload are fine
    assertThat(agree(field(2, badUtf8))).isTrue();
    // known fields with another wire type are unknown fields
    assertThat(agree(concat(varint(1, 5), field(2, new byte[] {1})))).isTrue();
    assertThat(agree(record(header(concat(field(1, new byte[] {1}), varint(3, 7)))))).isTrue();
    assertThat(agree(record(header(field(2, entry(concat(varint(1, 1), varint(2, 2)))))))).isTrue();
    // a repeated header merges: the last flag wins; a later header without a flag keeps it
    assertThat(agree(concat(record(header(varint(1, 1))), record(header(field(3, new byte[0]))))))
        .isTrue();
    assertThat(agree(concat(record(header(varint(1, 1))), record(header(varint(1, 7)))))).isTrue();
    // a repeated payload: the last wins
    assertThat(agree(concat(field(2, new byte[] {1}), field(2, new byte[] {2})))).isTrue();
    // end-group tags where no group is open
    assertThat(agree(tag(5, END_GROUP))).isFalse();
    assertThat(agree(record(header(tag(5, END_GROUP))))).isFalse();
    assertThat(agree(record(header(field(2, entry(tag(5, END_GROUP))))))).isFalse();
    // groups, matched and mismatched, at each level
    byte[] group = concat(tag(9, START_GROUP), varint(1, 3), tag(9, END_GROUP));
    byte[] mismatched = concat(tag(9, START_GROUP), tag(8, END_GROUP));
    for (byte[] g : new byte[][] {group, mismatched}) {
      boolean ok = g == group;
      assertThat(agree(g)).isEqualTo(ok);
      assertThat(agree(record(header(g)))).isEqualTo(ok);
      assertThat(agree(record(header(field(2, entry(g)))))).isEqualTo(ok);
    }
    // wire types 6 and 7 do not exist
    assertThat(agree(tag(9, 6))).isFalse();
    assertThat(agree(record(header(tag(9, 7))))).isFalse();
    // field number 0
    assertThat(agree(new byte[] {0x02, 0x00})).isFalse();
    // a header whose length runs past the record
    assertThat(agree(new byte[] {0x0a, 0x05, 0x08, 0x01})).isFalse();
    // negative lengths
    assertThat(agree(concat(new byte[] {0x12}, varintBytes(-1)))).isFalse();
  }

  @Test
  void nesting_is_limited_at_the_same_depth() throws IOException {
    for (int depth = 95; depth <= 102; depth++) {
      byte[] groups = nestedGroups(depth);
      agree(groups);
      agree(record(header(groups)));
      agree(record(header(field(2, entry(groups)))));
    }
    // The limit is reached at some depth in each place (so both readers were really tested).
    assertThat(agree(nestedGroups(102))).isFalse();
    assertThat(agree(record(header(nestedGroups(101))))).isFalse();
    assertThat(agree(nestedGroups(90))).isTrue();
  }

  private static byte[] nestedGroups(int depth) {
    byte[] inner = varint(1, 1);
    for (int i = 0; i < depth; i++) {
      inner = concat(tag(9, START_GROUP), inner, tag(9, END_GROUP));
    }
    return inner;
  }

  private static byte[] record(byte[] header) {
    return field(1, header);
  }

  private static byte[] header(byte[] fields) {
    return fields;
  }

  private static byte[] entry(byte[] fields) {
    return fields;
  }

  private static byte[] field(int number, byte[] value) {
    return concat(
        tag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED), varintBytes(value.length), value);
  }

  private static byte[] varint(int number, long value) {
    return concat(tag(number, WireFormat.WIRETYPE_VARINT), varintBytes(value));
  }

  private static byte[] tag(int number, int wireType) {
    return varintBytes((number << 3) | wireType);
  }

  private static byte[] varintBytes(long value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeUInt64NoTag(value);
      out.flush();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
