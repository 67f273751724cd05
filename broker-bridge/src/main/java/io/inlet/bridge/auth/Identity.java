package io.inlet.bridge.auth;

/**
 * Who a connected client is, as far as Inlet verified it.
 *
 * <p>A username is only ever one that was verified (a password checked against the password file,
 * or the CN of a TLS client certificate the handshake verified). A client accepted as anonymous has
 * no username here, whatever it sent in CONNECT: an unverified username is never used for the ACL,
 * recorded with its messages, or logged as if it named the client.
 *
 * @param username the verified username, or null for an anonymous client
 */
public record Identity(String username) {
  /** A client that proved nothing about who it is. */
  public static final Identity ANONYMOUS = new Identity(null);

  public static Identity verified(String username) {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("a verified username must not be empty");
    }
    return new Identity(username);
  }

  /** Whether the client proved a username (password or client certificate). */
  public boolean authenticated() {
    return username != null;
  }
}
