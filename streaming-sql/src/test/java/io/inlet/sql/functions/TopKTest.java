package io.inlet.sql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The accumulators on their own: adding, the bound of k, and merging (hopping, session windows).
 */
class TopKTest {
  private static TopK.Largest of(TopK f, int k, double... values) {
    TopK.Largest acc = f.createAccumulator();
    for (double v : values) {
      f.accumulate(acc, v, k);
    }
    return acc;
  }

  @Test
  void keeps_the_k_largest_largest_first() {
    TopK f = new TopK();
    assertThat(f.getValue(of(f, 3, 1, 9, 5, 9, 2, 7))).containsExactly(9.0, 9.0, 7.0);
    assertThat(f.getValue(of(f, 3, 4))).containsExactly(4.0);
    assertThat(of(f, 2, 1, 2, 3, 4, 5, 6).values).hasSize(2);
  }

  @Test
  void distinct_keeps_each_value_once() {
    TopK f = new TopKDistinct();
    assertThat(f.getValue(of(f, 3, 9, 9, 5, 9, 1, 5))).containsExactly(9.0, 5.0, 1.0);
  }

  @Test
  void merging_gives_what_one_accumulator_over_all_values_gives() {
    for (TopK f : List.of(new TopK(), new TopKDistinct())) {
      TopK.Largest merged = of(f, 3, 4, 8);
      f.merge(merged, List.of(of(f, 3, 8, 1), f.createAccumulator(), of(f, 3, 6, 9, 2)));
      assertThat(f.getValue(merged)).containsExactly(f.getValue(of(f, 3, 4, 8, 8, 1, 6, 9, 2)));
    }
  }

  @Test
  void an_empty_group_or_no_k_gives_an_empty_array() {
    TopK f = new TopK();
    TopK.Largest acc = f.createAccumulator();
    f.accumulate(acc, null, 2);
    assertThat(f.getValue(acc)).isEmpty();
    TopK.Largest merged = f.createAccumulator();
    f.merge(merged, List.of(of(f, 2, 3, 1, 2)));
    assertThat(f.getValue(merged)).containsExactly(3.0, 2.0);
  }
}
