package io.inlet.sql.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.api.state.KeyValueStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL engine's state in the node's {@link KeyValueStore}: query definitions ({@value
 * #QUERIES}), registered schemas ({@value #SCHEMAS}, the Schema message's bytes), each view's rows
 * ({@code sql.view.<name>}) and, in a cluster, why a query's job failed on the node that runs it
 * ({@value #FAILURES}), so that every node lists it ABORTED.
 */
final class SqlState {
  private static final Logger log = LoggerFactory.getLogger(SqlState.class);
  static final String QUERIES = "sql.queries";
  static final String SCHEMAS = "sql.schemas";
  static final String FAILURES = "sql.failures";
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final KeyValueStore store;

  SqlState(KeyValueStore store) {
    this.store = store;
  }

  KeyValueStore store() {
    return store;
  }

  static String viewNamespace(String view) {
    return "sql.view." + view;
  }

  void save(QueryDefinition query) {
    try {
      store.put(QUERIES, query.name(), JSON.writeValueAsBytes(query));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void delete(String query) {
    store.delete(QUERIES, query);
  }

  Optional<QueryDefinition> find(String query) {
    return store
        .get(QUERIES, query)
        .map(
            bytes -> {
              try {
                return JSON.readValue(bytes, QueryDefinition.class);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  List<QueryDefinition> queries() {
    List<QueryDefinition> out = new ArrayList<>();
    store
        .list(QUERIES)
        .forEach(
            (name, bytes) -> {
              try {
                out.add(JSON.readValue(bytes, QueryDefinition.class));
              } catch (IOException e) {
                log.warn("query \"{}\" is ignored: its definition does not decode: {}", name, e);
              }
            });
    return out;
  }

  Optional<String> failure(String query) {
    return store.get(FAILURES, query).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  void putFailure(String query, String failure) {
    store.put(FAILURES, query, failure.getBytes(StandardCharsets.UTF_8));
  }

  void deleteFailure(String query) {
    store.delete(FAILURES, query);
  }

  Optional<byte[]> schema(String owner) {
    return store.get(SCHEMAS, owner);
  }

  void putSchema(String owner, byte[] schema) {
    store.put(SCHEMAS, owner, schema);
  }

  boolean deleteSchema(String owner) {
    return store.delete(SCHEMAS, owner);
  }
}
