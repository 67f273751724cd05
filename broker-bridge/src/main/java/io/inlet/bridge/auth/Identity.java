package io.inlet.bridge.auth;

/**
 * Who a connected client is.
 *
 * @param username the username it sent or the CN of its certificate; null when it sent none
 * @param authenticated true when the username was verified (password or client certificate); an
 *     unverified username is only a label and gets the anonymous clients' ACL entries
 */
public record Identity(String username, boolean authenticated) {
  public static Identity anonymous(String claimedUsername) {
    return new Identity(claimedUsername, false);
  }

  public static Identity verified(String username) {
    return new Identity(username, true);
  }
}
