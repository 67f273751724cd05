package io.inlet.bench.drill;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * MQTT control packets written byte by byte, so the hostile-MQTT drill can send exactly what it
 * wants: valid frames, mutated ones, and frames no client library would produce.
 */
final class MqttFrames {
  static final int V311 = 4;
  static final int V5 = 5;

  private MqttFrames() {}

  static byte[] connect(String clientId, int version, boolean cleanStart, int sessionExpiry) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, "MQTT");
    body.write(version);
    body.write(cleanStart ? 0x02 : 0x00);
    body.write(0);
    body.write(60); // keep-alive 60 s
    if (version == V5) {
      if (sessionExpiry > 0) {
        ByteArrayOutputStream props = new ByteArrayOutputStream();
        props.write(0x11);
        int32(props, sessionExpiry);
        varInt(body, props.size());
        body.writeBytes(props.toByteArray());
      } else {
        body.write(0);
      }
    }
    string(body, clientId);
    return packet(0x10, body.toByteArray());
  }

  static byte[] publish(String topic, int qos, int packetId, byte[] payload, int version) {
    return publish(topic.getBytes(StandardCharsets.UTF_8), qos, packetId, payload, version);
  }

  static byte[] publish(byte[] topic, int qos, int packetId, byte[] payload, int version) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int16(body, topic.length);
    body.writeBytes(topic);
    if (qos > 0) {
      int16(body, packetId);
    }
    if (version == V5) {
      body.write(0);
    }
    body.writeBytes(payload);
    return packet(0x30 | (qos << 1), body.toByteArray());
  }

  static byte[] pubrel(int packetId) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int16(body, packetId);
    return packet(0x62, body.toByteArray());
  }

  static byte[] puback(int packetId) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int16(body, packetId);
    return packet(0x40, body.toByteArray());
  }

  static byte[] subscribe(int packetId, String filter, int version) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int16(body, packetId);
    if (version == V5) {
      body.write(0);
    }
    string(body, filter);
    body.write(1);
    return packet(0x82, body.toByteArray());
  }

  static byte[] pingreq() {
    return new byte[] {(byte) 0xC0, 0};
  }

  /** A fixed header and body; the remaining length as MQTT's variable byte integer. */
  static byte[] packet(int firstByte, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
    out.write(firstByte);
    varInt(out, body.length);
    out.writeBytes(body);
    return out.toByteArray();
  }

  /**
   * A copy of {@code frame} damaged one way: bits flipped, a byte replaced, cut short, its
   * remaining length overwritten, garbage appended, or its packet type changed.
   */
  static byte[] mutate(byte[] frame, SplittableRandom random) {
    byte[] copy = frame.clone();
    switch (random.nextInt(6)) {
      case 0 -> {
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
          copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
      case 2 -> {
        byte[] cut = new byte[1 + random.nextInt(copy.length)];
        System.arraycopy(copy, 0, cut, 0, cut.length);
        return cut;
      }
      case 3 -> {
        if (copy.length > 2) {
          copy[1] = (byte) (random.nextBoolean() ? 0xFF : random.nextInt(256));
        }
      }
      case 4 -> {
        byte[] longer = new byte[copy.length + 1 + random.nextInt(64)];
        System.arraycopy(copy, 0, longer, 0, copy.length);
        for (int i = copy.length; i < longer.length; i++) {
          longer[i] = (byte) random.nextInt(256);
        }
        return longer;
      }
      default -> copy[0] = (byte) ((random.nextInt(16) << 4) | random.nextInt(16));
    }
    return copy;
  }

  /** Bytes that are no MQTT frame at all. */
  static byte[] garbage(SplittableRandom random) {
    byte[] bytes = new byte[1 + random.nextInt(256)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static void string(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int16(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void int16(ByteArrayOutputStream out, int value) {
    out.write((value >> 8) & 0xFF);
    out.write(value & 0xFF);
  }

  private static void int32(ByteArrayOutputStream out, int value) {
    int16(out, value >>> 16);
    int16(out, value & 0xFFFF);
  }

  private static void varInt(ByteArrayOutputStream out, int value) {
    do {
      int digit = value % 128;
      value /= 128;
      out.write(value > 0 ? digit | 0x80 : digit);
    } while (value > 0);
  }
}
