package io.inlet.sql.statement;

/** {@code CREATE STREAM s AS SELECT ...}: a persistent query writing its results into stream s. */
public record CreateStreamAs(String name, SelectQuery query, int replicationFactor)
    implements SqlStatement {}
