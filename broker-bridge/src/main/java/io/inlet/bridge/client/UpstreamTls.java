package io.inlet.bridge.client;

import java.nio.file.Path;

/**
 * TLS to the upstream broker.
 *
 * @param caFile PEM file of the certificates that may sign the broker's certificate; null trusts
 *     the JVM's default CAs
 * @param keyStore PKCS#12 file with the client certificate and key, for brokers that require one;
 *     null for none
 * @param keyStorePassword the key store's password ("" for none)
 */
public record UpstreamTls(Path caFile, Path keyStore, String keyStorePassword) {
  /** TLS with the JVM's trusted CAs and no client certificate. */
  public static final UpstreamTls DEFAULT = new UpstreamTls(null, null, "");
}
