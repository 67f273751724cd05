package io.inlet.sql.statement;

import java.util.Map;

/**
 * {@code CREATE SOURCE CONNECTOR c FROM mysql WITH (...)} or {@code CREATE SINK CONNECTOR c TO
 * postgresql WITH (...)}.
 *
 * @param source true for a source connector (from a database into a stream)
 * @param type the connector type after FROM/TO
 */
public record CreateConnector(
    String name, boolean source, String type, Map<String, String> options, boolean ifNotExists)
    implements SqlStatement {

  public CreateConnector {
    options = Map.copyOf(options);
  }
}
