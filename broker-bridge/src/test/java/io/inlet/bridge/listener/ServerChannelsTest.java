package io.inlet.bridge.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerChannelsTest {

  /** Binds a port already taken on a group of {@code handlers}; returns what the bind threw. */
  private static Throwable bindTakenPort(IoHandlerFactory handlers) throws IOException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, handlers);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(ServerChannels.newFor(group)).isInstanceOf(ServerChannels.typeFor(group));
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(group)
              .channel(ServerChannels.typeFor(group))
              .childHandler(new ChannelInboundHandlerAdapter());
      InetSocketAddress address =
          new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());
      return catchThrowable(() -> bootstrap.bind(address).sync());
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void nio_loops_get_nio_channels_and_a_taken_port_reads_as_in_use() throws IOException {
    EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      assertThat(ServerChannels.typeFor(nio)).isEqualTo(NioServerSocketChannel.class);
    } finally {
      nio.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    Throwable failure = bindTakenPort(NioIoHandler.newFactory());
    assertThat(failure).isNotNull();
    assertThat(ServerChannels.isAddressInUse(failure)).isTrue();
  }

  @Test
  void epoll_loops_get_epoll_channels_and_a_taken_port_reads_as_in_use() throws IOException {
    // the node's machines are Linux x86-64, where the native library ships with the module
    assertThat(Epoll.isAvailable()).as("native epoll: %s", Epoll.unavailabilityCause()).isTrue();
    EventLoopGroup epoll = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      assertThat(ServerChannels.typeFor(epoll)).isEqualTo(EpollServerSocketChannel.class);
    } finally {
      epoll.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    // epoll's bind fails with its own native error, not java.net.BindException
    Throwable failure = bindTakenPort(EpollIoHandler.newFactory());
    assertThat(failure).isNotNull();
    assertThat(ServerChannels.isAddressInUse(failure)).isTrue();
  }

  @Test
  void other_failures_are_not_address_in_use() {
    assertThat(ServerChannels.isAddressInUse(new IOException("permission denied"))).isFalse();
  }
}
