package io.inlet.bridge.client;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/** Turns {@link UpstreamTls} into the MQTT client's TLS configuration. */
final class TlsContexts {
  private TlsContexts() {}

  /**
   * @throws InvalidBridgeException (field {@code tls}) when a file cannot be read or holds no
   *     usable certificate or key
   */
  static MqttClientSslConfig sslConfig(UpstreamTls tls) {
    MqttClientSslConfigBuilder builder = MqttClientSslConfig.builder();
    try {
      if (tls.caFile() != null) {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(tls.caFile())) {
          certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
          throw new InvalidBridgeException(
              "tls", "ca-file " + tls.caFile() + " holds no PEM certificate");
        }
        int i = 0;
        for (Certificate certificate : certificates) {
          trusted.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        builder.trustManagerFactory(tmf);
      }
      if (tls.keyStore() != null) {
        char[] password =
            tls.keyStorePassword() == null ? new char[0] : tls.keyStorePassword().toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.keyStore())) {
          keys.load(in, password);
        }
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        builder.keyManagerFactory(kmf);
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new InvalidBridgeException("tls", "cannot load TLS files: " + e.getMessage());
    }
    return builder.build();
  }
}
