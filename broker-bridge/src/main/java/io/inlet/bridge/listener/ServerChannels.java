package io.inlet.bridge.listener;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.Errors;
import java.net.BindException;

/**
 * The listening-socket channel that fits an event loop group: Netty's native epoll channel for a
 * group of epoll loops (what the node runs on Linux, see {@code NetworkEventLoops}), NIO's for any
 * other group; and what a failed bind on either looks like.
 */
public final class ServerChannels {
  /** Linux's errno for "address already in use" (epoll exists on Linux only). */
  private static final int EADDRINUSE = 98;

  private ServerChannels() {}

  /**
   * Whether binding failed because the address is in use: a {@link BindException} (NIO) or epoll's
   * native error {@code EADDRINUSE} somewhere in the cause chain.
   */
  public static boolean isAddressInUse(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t instanceof Errors.NativeIoException nativeError
              && Math.abs(nativeError.expectedErr()) == EADDRINUSE)) {
        return true;
      }
    }
    return false;
  }

  public static Class<? extends ServerChannel> typeFor(EventLoopGroup group) {
    return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** A new unbound listening channel of {@link #typeFor} that type. */
  public static ServerChannel newFor(EventLoopGroup group) {
    return isEpoll(group) ? new EpollServerSocketChannel() : new NioServerSocketChannel();
  }

  private static boolean isEpoll(EventLoopGroup group) {
    return group instanceof IoEventLoopGroup loops && loops.isIoType(EpollIoHandler.class);
  }
}
