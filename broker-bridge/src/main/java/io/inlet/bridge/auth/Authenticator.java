package io.inlet.bridge.auth;

import io.inlet.api.auth.AuthFileException;
import io.inlet.api.auth.PasswordFile;
import io.inlet.api.auth.PasswordHasher;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks MQTT credentials against the password file and publishes against the ACL file.
 *
 * <p>Rules, in order: a password with a username is verified against the password file (when one is
 * configured) and the users kept in the store ({@link #useStoredUsers}); otherwise a verified TLS
 * client certificate authenticates its CN; otherwise the client is anonymous, accepted only when
 * anonymous access is on. An anonymous client's {@link Identity} has no username, whatever it sent:
 * an unverified username is dropped here, so that the ACL, the records and the logs never take it
 * for a verified one.
 *
 * <p>PBKDF2 is slow on purpose, so verification runs on one named thread ({@code inlet-mqtt-auth}),
 * never on an event loop; a successful check is remembered (as an HMAC with a per-process key) so
 * reconnecting clients are checked in microseconds. Both files are re-read within a second of a
 * change (e.g. by {@code inlet user add}); a change that does not parse is logged and ignored.
 */
public final class Authenticator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  private static final int CACHE_LIMIT = 100_000;

  /**
   * @param passwordFile the password file, or null for none
   * @param aclFile the ACL file, or null (every client may publish everywhere)
   * @param loginThrottle the limit on failed logins per client address
   */
  public record Settings(
      Path passwordFile,
      Path aclFile,
      boolean allowAnonymous,
      LoginThrottle.Settings loginThrottle) {
    public Settings {
      Objects.requireNonNull(loginThrottle, "loginThrottle");
    }

    /** With the default limit on failed logins. */
    public Settings(Path passwordFile, Path aclFile, boolean allowAnonymous) {
      this(passwordFile, aclFile, allowAnonymous, LoginThrottle.Settings.DEFAULT);
    }
  }

  private final Settings settings;
  private final LoginThrottle throttle;
  private final ScheduledExecutorService executor;
  private final byte[] cacheKey = new byte[32];
  private final ConcurrentHashMap<String, byte[]> verified = new ConcurrentHashMap<>();
  private volatile PasswordFile passwords;
  private volatile Map<String, String> storedUsers = Map.of();
  private volatile PublishAcl acl;
  private Object passwordStamp;
  private Object aclStamp;

  private Authenticator(Settings settings) {
    this.settings = settings;
    this.throttle = new LoginThrottle(settings.loginThrottle());
    new SecureRandom().nextBytes(cacheKey);
    this.passwords =
        settings.passwordFile() == null ? null : PasswordFile.load(settings.passwordFile());
    this.passwordStamp = stamp(settings.passwordFile());
    this.acl =
        settings.aclFile() == null ? PublishAcl.ALLOW_ALL : PublishAcl.load(settings.aclFile());
    this.aclStamp = stamp(settings.aclFile());
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "inlet-mqtt-auth");
              t.setDaemon(true);
              return t;
            });
    if (settings.passwordFile() != null || settings.aclFile() != null) {
      executor.scheduleWithFixedDelay(this::reloadChanged, 1, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * Reads the files and starts the verification thread.
   *
   * @throws AuthFileException when a configured file cannot be read or parsed
   */
  public static Authenticator start(Settings settings) {
    return new Authenticator(settings);
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Authenticates a CONNECT. Completes at once unless a password must be verified, which happens on
   * the authenticator's thread; never completes exceptionally (a failure to verify refuses). An
   * address with too many failed logins ({@link LoginThrottle}) is refused with {@link
   * AuthResult.Outcome#THROTTLED} before anything is checked; a {@link
   * AuthResult.Outcome#BAD_CREDENTIALS} refusal (wrong password, unknown user, credentials that
   * cannot be checked) counts as one failed login of {@code address}. A CONNECT without any
   * credentials does not count: nothing was guessed.
   *
   * @param username the CONNECT's username, or null
   * @param password the CONNECT's password, or null
   * @param certificateCn the CN of a verified TLS client certificate, or null
   * @param address the client's address, or null when unknown (never throttled)
   */
  public CompletableFuture<AuthResult> authenticate(
      String username, byte[] password, String certificateCn, InetAddress address) {
    if (!throttle.allows(address)) {
      return CompletableFuture.completedFuture(AuthResult.refused(AuthResult.Outcome.THROTTLED));
    }
    // counted before the caller sees the answer, so that the client's next attempt finds it
    return check(username, password, certificateCn)
        .thenApply(
            result -> {
              if (result.outcome() == AuthResult.Outcome.BAD_CREDENTIALS) {
                throttle.failed(address);
              }
              return result;
            });
  }

  /**
   * A TLS handshake refused the certificate the client presented: one failed login of {@code
   * address}.
   */
  public void certificateRejected(InetAddress address) {
    throttle.failed(address);
  }

  private CompletableFuture<AuthResult> check(
      String username, byte[] password, String certificateCn) {
    PasswordFile file = passwords;
    Map<String, String> stored = storedUsers;
    if (password != null && username != null && (file != null || !stored.isEmpty())) {
      String hash =
          file == null
              ? stored.get(username)
              : file.hashOf(username).orElseGet(() -> stored.get(username));
      if (hash == null) {
        return CompletableFuture.completedFuture(
            AuthResult.refused(AuthResult.Outcome.BAD_CREDENTIALS));
      }
      byte[] remembered = verified.get(username);
      if (remembered != null && MessageDigest.isEqual(remembered, fingerprint(hash, password))) {
        return CompletableFuture.completedFuture(AuthResult.accepted(Identity.verified(username)));
      }
      byte[] copy = password.clone();
      try {
        return CompletableFuture.supplyAsync(() -> verify(username, copy, hash), executor);
      } catch (RejectedExecutionException e) {
        return CompletableFuture.completedFuture(
            AuthResult.refused(AuthResult.Outcome.BAD_CREDENTIALS));
      }
    }
    if (certificateCn != null && !certificateCn.isEmpty()) {
      return CompletableFuture.completedFuture(
          AuthResult.accepted(Identity.verified(certificateCn)));
    }
    if (settings.allowAnonymous()) {
      return CompletableFuture.completedFuture(AuthResult.accepted(Identity.ANONYMOUS));
    }
    return CompletableFuture.completedFuture(
        AuthResult.refused(
            username != null || password != null
                ? AuthResult.Outcome.BAD_CREDENTIALS
                : AuthResult.Outcome.NOT_AUTHORIZED));
  }

  private AuthResult verify(String username, byte[] password, String hash) {
    if (!PasswordHasher.verify(password, hash)) {
      return AuthResult.refused(AuthResult.Outcome.BAD_CREDENTIALS);
    }
    if (verified.size() >= CACHE_LIMIT) {
      verified.clear();
    }
    verified.put(username, fingerprint(hash, password));
    return AuthResult.accepted(Identity.verified(username));
  }

  /**
   * Replaces the users kept in the store ({@code inlet user add} through the admin API; in a
   * cluster, the cluster's), username to password hash. They are checked like the password file's,
   * after it: for a username in both, the file's entry counts.
   */
  public void useStoredUsers(Map<String, String> hashes) {
    storedUsers = Map.copyOf(hashes);
  }

  /** Whether {@code who}, connected as {@code clientId}, may publish to {@code topic}. Fast. */
  public boolean mayPublish(Identity who, String clientId, String topic) {
    return acl.mayPublish(who, clientId, topic);
  }

  private byte[] fingerprint(String hash, byte[] password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
      mac.update(hash.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(password);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  private void reloadChanged() {
    Path pw = settings.passwordFile();
    Object stamp = stamp(pw);
    if (pw != null && !Objects.equals(stamp, passwordStamp)) {
      passwordStamp = stamp;
      try {
        passwords = PasswordFile.load(pw);
        log.info("MQTT password file {} reloaded", pw);
      } catch (AuthFileException e) {
        log.warn("MQTT password file not reloaded, keeping the previous one: {}", e.getMessage());
      }
    }
    Path aclFile = settings.aclFile();
    stamp = stamp(aclFile);
    if (aclFile != null && !Objects.equals(stamp, aclStamp)) {
      aclStamp = stamp;
      try {
        acl = PublishAcl.load(aclFile);
        log.info("MQTT acl file {} reloaded", aclFile);
      } catch (AuthFileException e) {
        log.warn("MQTT acl file not reloaded, keeping the previous one: {}", e.getMessage());
      }
    }
  }

  private static Object stamp(Path file) {
    if (file == null) {
      return null;
    }
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
    } catch (IOException e) {
      return "missing";
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
