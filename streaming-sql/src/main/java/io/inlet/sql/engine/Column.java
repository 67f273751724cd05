package io.inlet.sql.engine;

/** A table column: its name and its Flink SQL type (e.g. {@code BIGINT}, {@code STRING}). */
public record Column(String name, String type) {}
