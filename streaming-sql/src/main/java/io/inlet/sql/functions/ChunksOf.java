package io.inlet.sql.functions;

import java.util.Arrays;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * HStreamDB's {@code CHUNKSOF(n, a)}: the array {@code a} cut into arrays of {@code n} elements, in
 * order, the last one shorter when {@code a}'s length is not a multiple of {@code n} ({@code
 * CHUNKSOF(2, [a, b, c])} is {@code [[a, b], [c]]}). A null argument or an {@code n} below 1 gives
 * null.
 */
public class ChunksOf extends ScalarFunction {
  private static final long serialVersionUID = 1L;

  public @DataTypeHint("ARRAY<ARRAY<STRING>>") String[][] eval(
      Long n, @DataTypeHint("ARRAY<STRING>") String[] array) {
    if (n == null || array == null || n < 1) {
      return null;
    }
    int size = (int) Math.min(n, Integer.MAX_VALUE);
    String[][] out = new String[(array.length + size - 1) / size][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Arrays.copyOfRange(array, i * size, Math.min(array.length, (i + 1) * size));
    }
    return out;
  }
}
