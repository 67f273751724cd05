package io.inlet.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A plain TCP connection to a port of a node, for tests that act as a hostile or broken client: one
 * that connects and says nothing, or sends a few bytes of a request and stops. It tells when the
 * server closed the connection.
 */
public final class RawConnection implements AutoCloseable {
  private final Socket socket;

  private RawConnection(Socket socket) {
    this.socket = socket;
  }

  /** Connects to {@code 127.0.0.1:port} and sends nothing. */
  public static RawConnection open(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setTcpNoDelay(true);
    return new RawConnection(socket);
  }

  /** Sends {@code bytes} and flushes. */
  public RawConnection send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /**
   * Reads (and discards) what the server sends until it closes the connection, or until {@code
   * deadline} passes.
   *
   * @return true when the server closed the connection (end of stream or reset) within the
   *     deadline, false when it was still open at the deadline
   */
  public boolean closedByServerWithin(Duration deadline) throws IOException {
    long end = System.nanoTime() + deadline.toNanos();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
      try {
        if (in.read(buffer) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (SocketException e) {
        return true; // reset by the server
      }
    }
  }

  /**
   * Whether the server closed the connection already: a read that returns at once with end of
   * stream or a reset, without waiting for more than {@code wait}.
   */
  public boolean isOpenAfter(Duration wait) throws IOException {
    return !closedByServerWithin(wait);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
