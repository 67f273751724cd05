package io.inlet.bridge.listener.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.inlet.bridge.auth.Authenticator;
import io.inlet.bridge.listener.ListenerStats;
import io.inlet.bridge.listener.MqttListenerSettings;
import io.inlet.bridge.listener.TestIngestor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random, truncated and corrupted frames through the listener's real pipeline: no exception may
 * escape, every buffer is released, and each channel ends either closed or still answering.
 */
class MqttDecoderFuzzTest {
  private static final int CASES = 4000;

  private static MultiThreadIoEventLoopGroup timers;
  private static Authenticator authenticator;
  private static ListenerCore core;
  private static final TestIngestor ingestor = new TestIngestor();

  @BeforeAll
  static void setUp() {
    timers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    authenticator = Authenticator.start(new Authenticator.Settings(null, null, true));
    core =
        new ListenerCore(
            MqttListenerSettings.forTests().withLimits(4096, 8, 4, 65535),
            authenticator,
            ingestor,
            new ListenerStats(),
            timers);
  }

  @AfterAll
  static void tearDown() {
    core.shutdown(java.time.Duration.ofSeconds(1));
    authenticator.close();
    timers.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
  }

  @Test
  void random_truncated_and_corrupted_frames_never_throw() {
    Random random = new Random(20261126L);
    List<byte[]> v3 = samples(MqttVersion.MQTT_3_1_1);
    List<byte[]> v5 = samples(MqttVersion.MQTT_5);
    int closed = 0;
    for (int i = 0; i < CASES; i++) {
      List<byte[]> corpus = random.nextBoolean() ? v3 : v5;
      EmbeddedChannel channel = new EmbeddedChannel(core.initializer(null, null));
      try {
        if (random.nextInt(4) != 0) {
          feed(channel, corpus.get(0)); // a valid CONNECT first, most of the time
        }
        int frames = 1 + random.nextInt(6);
        for (int f = 0; f < frames && channel.isActive(); f++) {
          feed(channel, mutate(random, corpus));
        }
        int finalFrames = channel.isActive() ? 1 : 0;
        if (finalFrames == 1) {
          // a channel still open must still answer a PINGREQ or close on it
          feed(channel, new byte[] {(byte) 0xC0, 0x00});
        }
        assertThatCode(channel::checkException).doesNotThrowAnyException();
        if (!channel.isActive()) {
          closed++;
        }
      } finally {
        drainOutbound(channel);
        channel.finishAndReleaseAll();
      }
    }
    assertThat(closed).as("most mutated streams end in a closed connection").isPositive();
  }

  @Test
  void every_prefix_of_every_valid_packet_is_handled() {
    for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
      List<byte[]> corpus = samples(version);
      for (byte[] packet : corpus) {
        for (int cut = 0; cut <= packet.length; cut++) {
          EmbeddedChannel channel = new EmbeddedChannel(core.initializer(null, null));
          try {
            feed(channel, corpus.get(0));
            byte[] prefix = java.util.Arrays.copyOf(packet, cut);
            feed(channel, prefix);
            assertThatCode(channel::checkException).doesNotThrowAnyException();
          } finally {
            drainOutbound(channel);
            channel.finishAndReleaseAll();
          }
        }
      }
    }
  }

  @Test
  void a_connect_whose_fields_overrun_its_end_is_answered_or_closed_at_once() {
    // Each byte of each CONNECT's body raised in turn (a length, a flag, a property id...), the
    // fixed header kept: a whole packet has arrived, so it must get a CONNACK or a close, never a
    // wait for bytes that belong to no packet.
    int cases = 0;
    for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
      for (byte[] connect : connectSamples(version)) {
        int bodyStart = fixedHeaderLength(connect);
        for (int i = bodyStart; i < connect.length; i++) {
          for (int raise : new int[] {0x01, 0x40, 0xFF}) {
            byte[] mutated = connect.clone();
            mutated[i] = (byte) (raise == 0xFF ? 0xFF : mutated[i] + raise);
            EmbeddedChannel channel = new EmbeddedChannel(core.initializer(null, null));
            try {
              byte[] answer = feed(channel, mutated);
              assertThat(answer.length > 0 && (answer[0] & 0xF0) == 0x20 || !channel.isActive())
                  .as("%s CONNECT with byte %d raised by %d: CONNACK or closed", version, i, raise)
                  .isTrue();
              assertThatCode(channel::checkException).doesNotThrowAnyException();
              cases++;
            } finally {
              drainOutbound(channel);
              channel.finishAndReleaseAll();
            }
          }
        }
      }
    }
    assertThat(cases).isGreaterThan(300);
  }

  @Test
  void whole_but_corrupted_packets_never_leave_a_connection_waiting() {
    // Streams of complete packets (fixed header matching the body) with corrupted bodies: after
    // them a PINGREQ is either answered or the connection is closed. A decoder that reads a
    // field past its packet's end would swallow the PINGREQ instead.
    Random random = new Random(20261203L);
    List<byte[]> v3 = samples(MqttVersion.MQTT_3_1_1);
    List<byte[]> v5 = samples(MqttVersion.MQTT_5);
    for (int i = 0; i < CASES; i++) {
      List<byte[]> corpus = random.nextBoolean() ? v3 : v5;
      EmbeddedChannel channel = new EmbeddedChannel(core.initializer(null, null));
      try {
        if (random.nextInt(4) != 0) {
          feed(channel, corpus.get(0));
        }
        int frames = 1 + random.nextInt(4);
        for (int f = 0; f < frames && channel.isActive(); f++) {
          feed(channel, corruptBody(random, corpus.get(random.nextInt(corpus.size()))));
        }
        byte[] answer = feed(channel, new byte[] {(byte) 0xC0, 0x00});
        assertThat(!channel.isActive() || endsWithPingResp(answer))
            .as("case %d: closed, or the PINGREQ answered", i)
            .isTrue();
        assertThatCode(channel::checkException).doesNotThrowAnyException();
      } finally {
        drainOutbound(channel);
        channel.finishAndReleaseAll();
      }
    }
  }

  private static boolean endsWithPingResp(byte[] answer) {
    int n = answer.length;
    return n >= 2 && (answer[n - 2] & 0xFF) == 0xD0 && answer[n - 1] == 0;
  }

  /** The packet with its body corrupted and its fixed header rewritten to match the new body. */
  private static byte[] corruptBody(Random random, byte[] packet) {
    int headerLength = fixedHeaderLength(packet);
    byte[] body = java.util.Arrays.copyOfRange(packet, headerLength, packet.length);
    switch (random.nextInt(4)) {
      case 0 -> {
        for (int k = 0; k < 1 + random.nextInt(3) && body.length > 0; k++) {
          body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> {
        if (body.length > 0) {
          body[random.nextInt(body.length)] = (byte) (0x80 | random.nextInt(0x80));
        }
      }
      case 2 -> body = java.util.Arrays.copyOf(body, random.nextInt(body.length + 1));
      default -> body = java.util.Arrays.copyOf(body, body.length + 1 + random.nextInt(4));
    }
    return frame(packet[0], body);
  }

  /** A packet: first byte, Remaining Length (variable byte integer), body. */
  private static byte[] frame(byte first, byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(first);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static int fixedHeaderLength(byte[] packet) {
    int i = 1;
    while ((packet[i] & 0x80) != 0) {
      i++;
    }
    return i + 1;
  }

  /** CONNECTs of {@code version} with every optional part: properties, will, username, password. */
  private static List<byte[]> connectSamples(MqttVersion version) {
    MqttProperties props = new MqttProperties();
    MqttProperties willProps = new MqttProperties();
    if (version == MqttVersion.MQTT_5) {
      props.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 60));
      props.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 10));
      props.add(new MqttProperties.UserProperty("k", "v"));
      willProps.add(new MqttProperties.IntegerProperty(MqttProperties.WILL_DELAY_INTERVAL, 5));
      willProps.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "text/plain"));
    }
    List<MqttMessage> connects =
        List.of(
            MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId("fuzz")
                .cleanSession(true)
                .keepAlive(30)
                .build(),
            MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId("fuzz-all")
                .cleanSession(true)
                .keepAlive(30)
                .properties(props)
                .willFlag(true)
                .willTopic("w/t")
                .willMessage(new byte[] {1, 2})
                .willQoS(MqttQoS.AT_LEAST_ONCE)
                .willProperties(willProps)
                .username("user")
                .password(new byte[] {'p', 'w'})
                .build());
    return encode(connects);
  }

  /** Feeds {@code bytes} and returns what the listener wrote back. */
  private static byte[] feed(EmbeddedChannel channel, byte[] bytes) {
    if (!channel.isActive()) {
      return new byte[0];
    }
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    channel.writeInbound(buf);
    channel.runPendingTasks();
    java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
    Object out;
    while ((out = channel.readOutbound()) != null) {
      if (out instanceof ByteBuf b) {
        written.writeBytes(ByteBufUtil.getBytes(b));
      }
      ReferenceCountUtil.release(out);
    }
    drainOutbound(channel);
    return written.toByteArray();
  }

  private static void drainOutbound(EmbeddedChannel channel) {
    Object out;
    while ((out = channel.readOutbound()) != null) {
      ReferenceCountUtil.release(out);
    }
    Object in;
    while ((in = channel.readInbound()) != null) {
      ReferenceCountUtil.release(in);
    }
  }

  private static byte[] mutate(Random random, List<byte[]> corpus) {
    byte[] base = corpus.get(random.nextInt(corpus.size()));
    switch (random.nextInt(5)) {
      case 0 -> {
        byte[] noise = new byte[random.nextInt(64)];
        random.nextBytes(noise);
        return noise;
      }
      case 1 -> {
        return java.util.Arrays.copyOf(base, random.nextInt(base.length + 1));
      }
      case 2 -> {
        byte[] flipped = base.clone();
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips && flipped.length > 0; i++) {
          flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return flipped;
      }
      case 3 -> {
        // a fixed header claiming much more than follows, or than allowed
        return new byte[] {
          (byte) (random.nextInt(16) << 4), (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 1, 2, 3
        };
      }
      default -> {
        return base;
      }
    }
  }

  /** Valid packets of {@code version}, encoded: CONNECT first. */
  static List<byte[]> samples(MqttVersion version) {
    List<MqttMessage> messages = new ArrayList<>();
    MqttProperties props = new MqttProperties();
    if (version == MqttVersion.MQTT_5) {
      props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, 2));
      props.add(new MqttProperties.UserProperty("k", "v"));
    }
    messages.add(
        MqttMessageBuilders.connect()
            .protocolVersion(version)
            .clientId("fuzz")
            .cleanSession(true)
            .keepAlive(30)
            .willFlag(true)
            .willTopic("w/t")
            .willMessage(new byte[] {1, 2})
            .willQoS(MqttQoS.AT_LEAST_ONCE)
            .build());
    for (int qos = 0; qos <= 2; qos++) {
      messages.add(
          MqttMessageBuilders.publish()
              .topicName("a/b")
              .qos(MqttQoS.valueOf(qos))
              .messageId(qos == 0 ? 0 : 10 + qos)
              .payload(Unpooled.wrappedBuffer(new byte[] {42, 43, 44}))
              .properties(props)
              .build());
    }
    messages.add(MqttMessageBuilders.pubAck().packetId(12).build());
    messages.add(
        MqttMessageBuilders.subscribe()
            .messageId(3)
            .addSubscription(MqttQoS.AT_LEAST_ONCE, "x/#")
            .build());
    messages.add(MqttMessageBuilders.unsubscribe().messageId(4).addTopicFilter("x/#").build());
    messages.add(MqttMessage.PINGREQ);
    messages.add(
        new MqttMessage(
            new io.netty.handler.codec.mqtt.MqttFixedHeader(
                io.netty.handler.codec.mqtt.MqttMessageType.PUBREL,
                false,
                MqttQoS.AT_LEAST_ONCE,
                false,
                0),
            io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader.from(12)));
    messages.add(MqttMessage.DISCONNECT);
    return encode(messages);
  }

  private static List<byte[]> encode(List<MqttMessage> messages) {
    EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    List<byte[]> out = new ArrayList<>();
    for (MqttMessage m : messages) {
      encoder.writeOutbound(m);
      ByteBuf buf = encoder.readOutbound();
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      buf.release();
      out.add(bytes);
    }
    encoder.finishAndReleaseAll();
    return out;
  }
}
