package io.inlet.sql.functions;

/**
 * HStreamDB's {@code TOPKDISTINCT(e, k)}: the {@code k} largest distinct values of {@code e} in the
 * group, largest first ({@code TOPKDISTINCT(v, 3)} over 5, 9, 9, 1 is {@code [9, 5, 1]}); as {@link
 * TopK} otherwise.
 */
public class TopKDistinct extends TopK {
  private static final long serialVersionUID = 1L;

  @Override
  boolean distinct() {
    return true;
  }
}
