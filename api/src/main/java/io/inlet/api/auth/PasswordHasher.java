package io.inlet.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted password hashes with PBKDF2 (from the JDK). Inlet writes {@code
 * $pbkdf2-sha256$<iterations>$<salt>$<hash>} (salt and hash in base64); it also verifies Mosquitto
 * 2's {@code $7$<iterations>$<salt>$<hash>} (PBKDF2 with HMAC-SHA512), so a password file written
 * by {@code mosquitto_passwd} can be reused.
 */
public final class PasswordHasher {
  /** Iterations for new hashes. Verification cost is paid once per user and process (cached). */
  public static final int DEFAULT_ITERATIONS = 100_000;

  private static final String INLET_PREFIX = "$pbkdf2-sha256$";
  private static final String MOSQUITTO_PREFIX = "$7$";
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHasher() {}

  /** A new salted hash of {@code password} with {@code iterations} rounds. */
  public static String hash(char[] password, int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be at least 1, found: " + iterations);
    }
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] hash = pbkdf2("PBKDF2WithHmacSHA256", password, salt, iterations, 32);
    Base64.Encoder b64 = Base64.getEncoder();
    return INLET_PREFIX
        + iterations
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  /** Whether {@code encoded} looks like a hash this class can verify. */
  public static boolean isSupported(String encoded) {
    return parse(encoded) != null;
  }

  /** Whether {@code password} (UTF-8 bytes as sent in an MQTT CONNECT) matches {@code encoded}. */
  public static boolean verify(byte[] password, String encoded) {
    Parsed parsed = parse(encoded);
    if (parsed == null) {
      return false;
    }
    char[] chars = new String(password, StandardCharsets.UTF_8).toCharArray();
    byte[] actual =
        pbkdf2(parsed.algorithm, chars, parsed.salt, parsed.iterations, parsed.hash.length);
    Arrays.fill(chars, '\0');
    return MessageDigest.isEqual(actual, parsed.hash);
  }

  private record Parsed(String algorithm, int iterations, byte[] salt, byte[] hash) {}

  private static Parsed parse(String encoded) {
    if (encoded == null) {
      return null;
    }
    String algorithm;
    String rest;
    if (encoded.startsWith(INLET_PREFIX)) {
      algorithm = "PBKDF2WithHmacSHA256";
      rest = encoded.substring(INLET_PREFIX.length());
    } else if (encoded.startsWith(MOSQUITTO_PREFIX)) {
      algorithm = "PBKDF2WithHmacSHA512";
      rest = encoded.substring(MOSQUITTO_PREFIX.length());
    } else {
      return null;
    }
    String[] parts = rest.split("\\$", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      int iterations = Integer.parseInt(parts[0]);
      byte[] salt = Base64.getDecoder().decode(parts[1]);
      byte[] hash = Base64.getDecoder().decode(parts[2]);
      if (iterations < 1 || salt.length == 0 || hash.length == 0) {
        return null;
      }
      return new Parsed(algorithm, iterations, salt, hash);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] pbkdf2(
      String algorithm, char[] password, byte[] salt, int iterations, int bytes) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
    try {
      return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available in this JDK", e);
    } finally {
      spec.clearPassword();
    }
  }
}
