package io.inlet.cluster.metadata;

import io.inlet.cluster.HostPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A voting member of the metadata group: a node id and the address of its Raft port.
 *
 * @param nodeId the node's {@code node-id}
 * @param address where the node's Raft port listens and the other members dial it
 */
public record MetadataPeer(int nodeId, HostPort address) {

  public MetadataPeer {
    if (nodeId < 0) {
      throw new IllegalArgumentException("node id must be >= 0, got " + nodeId);
    }
    if (address == null) {
      throw new IllegalArgumentException("the address must be set");
    }
  }

  /**
   * Parses {@code id@host:port}, or {@code id@host} with {@code defaultPort}.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static MetadataPeer parse(String text, int defaultPort) {
    String trimmed = text.trim();
    int at = trimmed.indexOf('@');
    if (at <= 0 || at == trimmed.length() - 1) {
      throw new IllegalArgumentException("expected id@host:port, got '" + text + "'");
    }
    int id;
    try {
      id = Integer.parseInt(trimmed.substring(0, at));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the node id is not a number in '" + text + "'");
    }
    String address = trimmed.substring(at + 1);
    boolean hasPort = address.startsWith("[") ? address.contains("]:") : address.indexOf(':') > 0;
    return new MetadataPeer(
        id, hasPort ? HostPort.parse(address) : new HostPort(stripBrackets(address), defaultPort));
  }

  /**
   * Parses a comma-separated list of peers and checks that ids and addresses are unique.
   *
   * @throws IllegalArgumentException naming the first bad entry or the duplicate
   */
  public static List<MetadataPeer> parseList(String text, int defaultPort) {
    List<MetadataPeer> peers = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        peers.add(parse(part, defaultPort));
      }
    }
    checkUnique(peers);
    return List.copyOf(peers);
  }

  static void checkUnique(List<MetadataPeer> peers) {
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("must list at least one id@host:port");
    }
    Set<Integer> ids = new HashSet<>();
    Set<HostPort> addresses = new HashSet<>();
    for (MetadataPeer peer : peers) {
      if (!ids.add(peer.nodeId())) {
        throw new IllegalArgumentException("node id " + peer.nodeId() + " is listed twice");
      }
      if (!addresses.add(peer.address())) {
        throw new IllegalArgumentException("address " + peer.address() + " is listed twice");
      }
    }
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  @Override
  public String toString() {
    return nodeId + "@" + address;
  }
}
