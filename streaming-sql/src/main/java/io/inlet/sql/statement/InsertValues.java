package io.inlet.sql.statement;

/**
 * {@code INSERT INTO s (a, b) VALUES (1, 'x')} or {@code INSERT INTO s VALUES '{"a": 1}'}.
 *
 * @param payload the record to append
 * @param json whether the payload is a JSON object (an HStreamDB Struct record) rather than raw
 *     bytes
 */
public record InsertValues(String stream, byte[] payload, boolean json) implements SqlStatement {}
