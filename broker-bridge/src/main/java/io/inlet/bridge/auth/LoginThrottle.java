package io.inlet.bridge.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed MQTT logins per client address, as a token bucket: an address may fail {@code burst} times
 * in a row, then one more attempt is allowed per {@code interval}. While its bucket is empty, every
 * CONNECT from the address is refused before its credentials are checked (so guessing costs the
 * guesser time, not Inlet CPU). Successful logins take nothing from the bucket; other addresses are
 * not affected.
 *
 * <p>A failure may take the bucket below empty (several CONNECTs of one address checked at once):
 * each failure then adds one interval to the wait, so however many attempts run in parallel, an
 * address averages at most one failed login per interval.
 *
 * <p>Memory is bounded: at most {@code maxAddresses} addresses are tracked; beyond that the one
 * that failed least recently is forgotten, and a bucket that refilled is dropped. IPv6 addresses
 * are counted per /64 network, the block one host usually holds. Thread-safe.
 */
public final class LoginThrottle {
  private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
  private static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

  /**
   * @param burst failed logins an address may have in a row before it is refused; 0 turns the limit
   *     off
   * @param interval after the burst, one more attempt per interval
   * @param maxAddresses addresses tracked at most (bounds the memory)
   */
  public record Settings(int burst, Duration interval, int maxAddresses) {
    public static final Settings DEFAULT = new Settings(10, Duration.ofSeconds(10), 10_000);
    public static final Settings OFF = new Settings(0, Duration.ofSeconds(10), 1);

    public Settings {
      if (burst < 0) {
        throw new IllegalArgumentException("burst must be >= 0, found: " + burst);
      }
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive, found: " + interval);
      }
      if (maxAddresses < 1) {
        throw new IllegalArgumentException("maxAddresses must be >= 1, found: " + maxAddresses);
      }
    }

    public boolean enabled() {
      return burst > 0;
    }
  }

  /** Failures an address can still afford, as of {@code updatedNanos}. */
  private static final class Bucket {
    double tokens;
    long updatedNanos;
    boolean refusing;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updatedNanos = now;
    }
  }

  private final Settings settings;
  private final LongSupplier nanoTime;
  private final double refillPerNano;
  private final Map<InetAddress, Bucket> buckets; // guarded by this
  private long lastLogNanos;

  public LoginThrottle(Settings settings) {
    this(settings, System::nanoTime);
  }

  /** With a clock, for tests. */
  LoginThrottle(Settings settings, LongSupplier nanoTime) {
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.refillPerNano = 1.0 / settings.interval().toNanos();
    this.buckets =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            return size() > settings.maxAddresses();
          }
        };
    this.lastLogNanos = nanoTime.getAsLong() - LOG_INTERVAL_NANOS;
  }

  public Settings settings() {
    return settings;
  }

  /** Whether a login from {@code address} may be checked now; null (unknown) is always allowed. */
  public boolean allows(InetAddress address) {
    if (!settings.enabled() || address == null) {
      return true;
    }
    InetAddress key = key(address);
    synchronized (this) {
      Bucket bucket = buckets.get(key);
      if (bucket == null) {
        return true;
      }
      refill(key, bucket, nanoTime.getAsLong());
      return bucket.tokens >= 1;
    }
  }

  /** Records a failed login from {@code address} (bad credentials, a refused certificate). */
  public void failed(InetAddress address) {
    if (!settings.enabled() || address == null) {
      return;
    }
    InetAddress key = key(address);
    boolean nowRefusing = false;
    long now = nanoTime.getAsLong();
    synchronized (this) {
      Bucket bucket = buckets.get(key);
      if (bucket == null) {
        bucket = new Bucket(settings.burst(), now);
        buckets.put(key, bucket);
      } else {
        refill(null, bucket, now);
      }
      bucket.tokens -= 1;
      if (bucket.tokens < 1 && !bucket.refusing) {
        bucket.refusing = true;
        nowRefusing = mayLog(now);
      }
    }
    if (nowRefusing) {
      log.warn(
          "MQTT logins from {} are refused for now: {} failed in a row; one more attempt is"
              + " allowed every {} (further addresses are logged at most every 10 s)",
          describe(key),
          settings.burst(),
          settings.interval());
    }
  }

  /** Addresses tracked now (at most {@link Settings#maxAddresses()}). */
  public synchronized int trackedAddresses() {
    return buckets.size();
  }

  /** Refills the bucket up to now; drops it once full again when {@code key} is given. */
  private void refill(InetAddress key, Bucket bucket, long now) {
    long elapsed = now - bucket.updatedNanos;
    if (elapsed > 0) {
      bucket.tokens = Math.min(settings.burst(), bucket.tokens + elapsed * refillPerNano);
      bucket.updatedNanos = now;
    }
    if (bucket.tokens >= 1) {
      bucket.refusing = false;
    }
    if (key != null && bucket.tokens >= settings.burst()) {
      buckets.remove(key); // nothing left to remember
    }
  }

  private boolean mayLog(long now) {
    if (now - lastLogNanos < LOG_INTERVAL_NANOS) {
      return false;
    }
    lastLogNanos = now;
    return true;
  }

  /** The address itself for IPv4, its /64 network for IPv6. */
  static InetAddress key(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] bytes = Arrays.copyOf(address.getAddress(), 16);
    Arrays.fill(bytes, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are an IPv6 address", e);
    }
  }

  private static String describe(InetAddress key) {
    String text = key.getHostAddress();
    return key instanceof Inet6Address ? text + "/64" : text;
  }
}
