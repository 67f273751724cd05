package io.inlet.bench.drill;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** One HTTP GET on a fresh connection with a hard deadline, as a load balancer's probe does. */
final class HttpProbe {
  /** The status code, or -1 when no status line came within the timeout. */
  static int get(int port, String path, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      StringBuilder status = new StringBuilder();
      while (status.indexOf("\r\n") < 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return -1;
        }
        socket.setSoTimeout((int) left);
        int b = in.read();
        if (b < 0) {
          return -1;
        }
        status.append((char) b);
      }
      String[] parts = status.toString().split(" ");
      return parts.length > 1 ? Integer.parseInt(parts[1].trim()) : -1;
    } catch (SocketTimeoutException e) {
      return -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** The whole response (status line, headers, body), or "" when none came within the timeout. */
  static String response(int port, String path, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Whether {@code /health} answers 200 within {@code timeout}. */
  static boolean healthy(int port, Duration timeout) {
    return get(port, "/health", timeout) == 200;
  }

  private HttpProbe() {}
}
