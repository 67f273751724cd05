package io.inlet.bridge.listener.internal.connect;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The address a connection comes from, as far as the network tells. */
public final class ClientAddresses {
  private ClientAddresses() {}

  /** The peer's IP address, or null when the channel has none (e.g. an embedded channel). */
  public static InetAddress of(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress socket ? socket.getAddress() : null;
  }
}
