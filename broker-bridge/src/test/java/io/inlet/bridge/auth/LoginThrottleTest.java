package io.inlet.bridge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private LoginThrottle throttle(int burst, Duration interval, int maxAddresses) {
    return new LoginThrottle(new LoginThrottle.Settings(burst, interval, maxAddresses), now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  @Test
  void an_address_is_refused_after_its_burst_and_then_allowed_one_attempt_per_interval()
      throws Exception {
    LoginThrottle throttle = throttle(3, Duration.ofSeconds(10), 100);
    InetAddress a = ip("192.0.2.1");
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.allows(a)).as("attempt %d", i + 1).isTrue();
      throttle.failed(a);
    }
    assertThat(throttle.allows(a)).isFalse();
    advance(Duration.ofSeconds(9));
    assertThat(throttle.allows(a)).isFalse();
    advance(Duration.ofSeconds(1));
    assertThat(throttle.allows(a)).as("one attempt per interval").isTrue();
    throttle.failed(a);
    assertThat(throttle.allows(a)).isFalse();
  }

  @Test
  void failures_of_one_address_leave_others_alone() throws Exception {
    LoginThrottle throttle = throttle(2, Duration.ofMinutes(1), 100);
    throttle.failed(ip("192.0.2.1"));
    throttle.failed(ip("192.0.2.1"));
    assertThat(throttle.allows(ip("192.0.2.1"))).isFalse();
    assertThat(throttle.allows(ip("192.0.2.2"))).isTrue();
    assertThat(throttle.allows(null)).as("an unknown address is never refused").isTrue();
  }

  @Test
  void parallel_failures_beyond_the_burst_push_the_next_attempt_further_out() throws Exception {
    LoginThrottle throttle = throttle(2, Duration.ofSeconds(10), 100);
    InetAddress a = ip("192.0.2.1");
    for (int i = 0; i < 12; i++) { // all let in at once, then all failed
      throttle.failed(a);
    }
    advance(Duration.ofSeconds(100));
    assertThat(throttle.allows(a)).as("10 failures over: 10 intervals").isFalse();
    advance(Duration.ofSeconds(10));
    assertThat(throttle.allows(a)).isTrue();
  }

  @Test
  void a_refilled_address_is_forgotten() throws Exception {
    LoginThrottle throttle = throttle(2, Duration.ofSeconds(10), 100);
    throttle.failed(ip("192.0.2.1"));
    assertThat(throttle.trackedAddresses()).isEqualTo(1);
    advance(Duration.ofSeconds(10));
    assertThat(throttle.allows(ip("192.0.2.1"))).isTrue();
    assertThat(throttle.trackedAddresses()).isZero();
  }

  @Test
  void memory_is_bounded_however_many_addresses_fail() throws Exception {
    LoginThrottle throttle = throttle(3, Duration.ofMinutes(1), 1_000);
    for (int i = 0; i < 100_000; i++) {
      throttle.failed(
          InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
    }
    assertThat(throttle.trackedAddresses()).isEqualTo(1_000);
    // the most recent failures are the ones kept
    InetAddress last = InetAddress.getByAddress(new byte[] {10, 1, (byte) 0x86, (byte) 0x9F});
    for (int i = 0; i < 2; i++) {
      throttle.failed(last);
    }
    assertThat(throttle.allows(last)).isFalse();
  }

  @Test
  void ipv6_addresses_are_counted_per_64_network() throws Exception {
    LoginThrottle throttle = throttle(2, Duration.ofMinutes(1), 100);
    throttle.failed(ip("2001:db8:1:2::1"));
    throttle.failed(ip("2001:db8:1:2:ffff::7"));
    assertThat(throttle.allows(ip("2001:db8:1:2::99"))).isFalse();
    assertThat(throttle.allows(ip("2001:db8:1:3::1"))).isTrue();
  }

  @Test
  void a_burst_of_zero_turns_the_limit_off() throws Exception {
    LoginThrottle throttle = new LoginThrottle(LoginThrottle.Settings.OFF);
    for (int i = 0; i < 100; i++) {
      throttle.failed(ip("192.0.2.1"));
    }
    assertThat(throttle.allows(ip("192.0.2.1"))).isTrue();
    assertThat(throttle.trackedAddresses()).isZero();
  }

  @Test
  void settings_name_the_bad_value() {
    assertThatThrownBy(() -> new LoginThrottle.Settings(-1, Duration.ofSeconds(1), 1))
        .hasMessageContaining("burst must be >= 0, found: -1");
    assertThatThrownBy(() -> new LoginThrottle.Settings(1, Duration.ZERO, 1))
        .hasMessageContaining("interval must be positive");
    assertThatThrownBy(() -> new LoginThrottle.Settings(1, Duration.ofSeconds(1), 0))
        .hasMessageContaining("maxAddresses must be >= 1");
  }
}
