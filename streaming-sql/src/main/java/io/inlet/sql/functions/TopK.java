package io.inlet.sql.functions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;

/**
 * HStreamDB's {@code TOPK(e, k)}: the {@code k} largest values of {@code e} in the group, largest
 * first, repeats kept ({@code TOPK(v, 3)} over 5, 9, 9, 1 is {@code [9, 9, 5]}). The values are
 * numbers (the translation casts {@code e} to DOUBLE); nulls are skipped; {@code k} is the first
 * non-null {@code k} seen, and a {@code k} below 1 gives an empty array.
 *
 * <p>The accumulator keeps at most {@code k} values, so its state is bounded; it has no retract, so
 * Flink refuses it over an input that updates (the planner names the function).
 */
@FunctionHint(
    input = {@DataTypeHint("DOUBLE"), @DataTypeHint("INT")},
    accumulator = @DataTypeHint(value = "RAW", bridgedTo = TopK.Largest.class),
    output = @DataTypeHint("ARRAY<DOUBLE>"))
public class TopK extends AggregateFunction<Double[], TopK.Largest> {
  private static final long serialVersionUID = 1L;

  /** The values kept so far, largest first, and the k they are kept for (-1 until one is seen). */
  public static final class Largest implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final List<Double> values = new ArrayList<>();
    int k = -1;

    /** Adds {@code v}, dropping the smallest value beyond k (and {@code v} itself when smaller). */
    void add(double v, boolean distinct) {
      int at = Collections.binarySearch(values, v, Collections.reverseOrder());
      if (distinct && at >= 0) {
        return;
      }
      int insertion = at >= 0 ? at : -at - 1;
      if (insertion >= k) {
        return;
      }
      values.add(insertion, v);
      if (values.size() > k) {
        values.remove(values.size() - 1);
      }
    }
  }

  @Override
  public Largest createAccumulator() {
    return new Largest();
  }

  public void accumulate(Largest acc, Double value, Integer k) {
    if (acc.k < 0 && k != null) {
      acc.k = Math.max(0, k);
    }
    if (value != null) {
      acc.add(value, distinct());
    }
  }

  /** Combines the accumulators of hopping windows' slices and of merged session windows. */
  public void merge(Largest acc, Iterable<Largest> others) {
    for (Largest other : others) {
      if (acc.k < 0) {
        acc.k = other.k;
      }
      for (double v : other.values) {
        acc.add(v, distinct());
      }
    }
  }

  @Override
  public Double[] getValue(Largest acc) {
    return acc.values.toArray(Double[]::new);
  }

  /** Whether a value already kept is kept once only. */
  boolean distinct() {
    return false;
  }
}
