package io.inlet.sql.functions;

import org.apache.flink.table.api.TableEnvironment;

/**
 * The functions of HStreamDB's SQL that Flink has no built-in for, registered under the names the
 * translation writes ({@code io.inlet.sql.parse.Functions}).
 */
public final class InletFunctions {
  public static final String TOPK = "INLET_TOPK";
  public static final String TOPK_DISTINCT = "INLET_TOPKDISTINCT";
  public static final String CHUNKS_OF = "INLET_CHUNKSOF";

  private InletFunctions() {}

  /** Registers them in {@code env}; every table environment a query is planned in needs them. */
  public static <T extends TableEnvironment> T registerIn(T env) {
    env.createTemporarySystemFunction(TOPK, TopK.class);
    env.createTemporarySystemFunction(TOPK_DISTINCT, TopKDistinct.class);
    env.createTemporarySystemFunction(CHUNKS_OF, ChunksOf.class);
    return env;
  }
}
