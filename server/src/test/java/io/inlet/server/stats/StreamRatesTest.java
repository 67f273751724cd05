package io.inlet.server.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamRatesTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final int BYTES = StreamSeries.APPEND_BYTES.ordinal();

  private final StreamRates rates = new StreamRates();

  private static long[] bytes(long value) {
    long[] sample = new long[StreamSeries.values().length];
    sample[BYTES] = value;
    return sample;
  }

  /** Samples "s" every second for {@code seconds} s, growing by {@code perSecond}. */
  private long steady(long start, int seconds, long perSecond, long from) {
    long value = from;
    for (int i = 0; i < seconds; i++) {
      value += perSecond;
      rates.sample(start + i * SECOND, SECOND, Map.of("s", bytes(value)));
    }
    return value;
  }

  private double rate(long intervalMs) {
    return rates.rates("s", StreamSeries.APPEND_BYTES, new long[] {intervalMs}).orElseThrow()[0];
  }

  @Test
  void a_steady_stream_has_its_rate_over_every_interval() {
    steady(0, 700, 100, 0);
    assertThat(rate(4_000)).isCloseTo(100, within(1e-9));
    assertThat(rate(60_000)).isCloseTo(100, within(1e-9));
    assertThat(rate(300_000)).isCloseTo(100, within(1e-9));
    assertThat(rate(600_000)).isCloseTo(100, within(1e-9));
  }

  @Test
  void a_short_interval_sees_a_burst_that_a_long_one_averages_out() {
    long value = steady(0, 120, 0, 0);
    steady(120 * SECOND, 10, 1000, value);
    assertThat(rate(5_000)).isCloseTo(1000, within(1e-9));
    // 10 000 bytes over the last 60 s.
    assertThat(rate(60_000)).isCloseTo(10_000 / 60.0, within(1e-9));
  }

  @Test
  void with_less_history_than_the_interval_the_rate_is_over_the_history() {
    // First sample at t=0 counts what came before it over one step, from a zero baseline.
    rates.sample(0, SECOND, Map.of("s", bytes(50)));
    rates.sample(SECOND, SECOND, Map.of("s", bytes(150)));
    assertThat(rate(60_000)).isCloseTo(75, within(1e-9));
  }

  @Test
  void a_counter_that_restarts_counts_from_zero() {
    rates.sample(0, SECOND, Map.of("s", bytes(1000)));
    rates.sample(SECOND, SECOND, Map.of("s", bytes(20)));
    assertThat(rate(1_000)).isCloseTo(20, within(1e-9));
  }

  @Test
  void an_idle_stream_has_rate_zero_and_a_gone_stream_has_no_series() {
    rates.sample(0, SECOND, Map.of("s", bytes(0), "t", bytes(0)));
    rates.sample(SECOND, SECOND, Map.of("s", bytes(0), "t", bytes(0)));
    assertThat(rate(10_000)).isZero();
    assertThat(rates.streams()).containsExactlyInAnyOrder("s", "t");
    rates.sample(2 * SECOND, SECOND, Map.of("s", bytes(0)));
    assertThat(rates.streams()).containsExactly("s");
    assertThat(rates.rates("t", StreamSeries.APPEND_BYTES, new long[] {1000})).isEmpty();
    assertThat(rates.allRates(StreamSeries.APPEND_BYTES, new long[] {1000})).containsOnlyKeys("s");
  }

  @Test
  void the_ring_is_bounded_and_long_intervals_use_the_coarse_one() {
    // Two hours of samples: the fine ring keeps 60 s, the coarse one an hour at 10 s steps.
    steady(0, 7200, 10, 0);
    assertThat(rate(3_600_000)).isCloseTo(10, within(1e-9));
    assertThat(rate(30_000)).isCloseTo(10, within(1e-9));
  }

  @Test
  void method_names_are_hstreamdbs() {
    assertThat(StreamSeries.byMethod("appends")).contains(StreamSeries.APPEND_BYTES);
    assertThat(StreamSeries.byMethod("append_in_bytes")).contains(StreamSeries.APPEND_BYTES);
    assertThat(StreamSeries.byMethod("append_in_records")).contains(StreamSeries.APPEND_RECORDS);
    assertThat(StreamSeries.byMethod("append_in_requests")).contains(StreamSeries.APPEND_REQUESTS);
    assertThat(StreamSeries.byMethod("append_failed_requests"))
        .contains(StreamSeries.APPEND_FAILED_REQUESTS);
    assertThat(StreamSeries.byMethod("reads")).contains(StreamSeries.READ_BYTES);
    assertThat(StreamSeries.byMethod("record_bytes")).contains(StreamSeries.READ_BYTES);
    assertThat(StreamSeries.byMethod("nope")).isEmpty();
  }
}
