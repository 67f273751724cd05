package io.inlet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TCP ports for settings that cannot take 0: a cluster's Raft and gossip addresses, which every
 * node must know before any of them starts, or a port a restarted process must keep.
 *
 * <p>A port is taken below Linux's ephemeral range (32768 and up). A port of that range, free when
 * looked at, may be taken a moment later as the source port of any outgoing connection on the
 * machine, and the server that was to listen on it then fails to start; below the range only
 * another listener can take it. A port is handed out once per JVM, and free on every interface when
 * handed out.
 */
public final class FreePorts {
  private static final int LOWEST = 20_000;
  private static final int BELOW_EPHEMERAL = 32_768;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static final SplittableRandom RANDOM = new SplittableRandom();

  private FreePorts() {}

  /** One free port. */
  public static int one() {
    return distinct(1)[0];
  }

  /** {@code count} distinct free ports, held open together while chosen. */
  public static int[] distinct(int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] out = new int[count];
      for (int i = 0, tries = 0; i < count; tries++) {
        if (tries > 10_000) {
          throw new IllegalStateException(
              "no free port between " + LOWEST + " and " + (BELOW_EPHEMERAL - 1));
        }
        int candidate = LOWEST + nextRandom(BELOW_EPHEMERAL - LOWEST);
        if (!HANDED_OUT.add(candidate)) {
          continue;
        }
        ServerSocket socket = bound(candidate);
        if (socket != null) {
          held.add(socket);
          out[i++] = candidate;
        }
      }
      return out;
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private static synchronized int nextRandom(int bound) {
    return RANDOM.nextInt(bound);
  }

  private static ServerSocket bound(int port) {
    try {
      ServerSocket socket = new ServerSocket();
      try {
        socket.bind(new InetSocketAddress("0.0.0.0", port));
        return socket;
      } catch (IOException taken) {
        socket.close();
        return null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
