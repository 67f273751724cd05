package io.inlet.cdc.sink;

import io.inlet.cdc.config.Target;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/** The SQL a sink speaks to one kind of database: its JDBC URL, quoting, upsert and delete. */
enum JdbcDialect {
  MYSQL('`'),
  POSTGRESQL('"');

  private final char quote;

  JdbcDialect(char quote) {
    this.quote = quote;
  }

  static JdbcDialect of(Target target) {
    return target == Target.POSTGRESQL ? POSTGRESQL : MYSQL;
  }

  String url(Target target, String host, int port, String database) {
    return switch (target) {
      case POSTGRESQL -> "jdbc:postgresql://" + host + ":" + port + "/" + database;
      case MARIADB -> "jdbc:mariadb://" + host + ":" + port + "/" + database;
      default -> "jdbc:mysql://" + host + ":" + port + "/" + database;
    };
  }

  /** Connection properties: credentials, and for PostgreSQL text parameters typed by the server. */
  Properties properties(String user, String password) {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    if (this == POSTGRESQL) {
      // Text values (decimals, dates, timestamps as the sources write them) are cast by the
      // server to the column's type instead of being refused as varchar.
      props.setProperty("stringtype", "unspecified");
      props.setProperty("reWriteBatchedInserts", "true");
    } else {
      props.setProperty("rewriteBatchedStatements", "true");
    }
    return props;
  }

  String quote(String identifier) {
    return Character.toString(quote)
        + identifier.replace(Character.toString(quote), Character.toString(quote).repeat(2))
        + quote;
  }

  /** A table name, schema-qualified or not, quoted part by part. */
  String table(String name) {
    String[] parts = name.split("\\.", 2);
    return parts.length == 2 ? quote(parts[0]) + "." + quote(parts[1]) : quote(name);
  }

  String upsert(String table, List<String> columns, List<String> keys) {
    String names = columns.stream().map(this::quote).collect(Collectors.joining(", "));
    String marks = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
    List<String> others = columns.stream().filter(c -> !keys.contains(c)).toList();
    String insert = "INSERT INTO " + table(table) + " (" + names + ") VALUES (" + marks + ")";
    if (this == POSTGRESQL) {
      String conflict =
          " ON CONFLICT (" + keys.stream().map(this::quote).collect(Collectors.joining(", ")) + ")";
      if (others.isEmpty()) {
        return insert + conflict + " DO NOTHING";
      }
      return insert
          + conflict
          + " DO UPDATE SET "
          + others.stream()
              .map(c -> quote(c) + " = EXCLUDED." + quote(c))
              .collect(Collectors.joining(", "));
    }
    List<String> updated = others.isEmpty() ? List.of(keys.get(0)) : others;
    return insert
        + " ON DUPLICATE KEY UPDATE "
        + updated.stream()
            .map(c -> quote(c) + " = VALUES(" + quote(c) + ")")
            .collect(Collectors.joining(", "));
  }

  String delete(String table, List<String> keys) {
    return "DELETE FROM "
        + table(table)
        + " WHERE "
        + keys.stream().map(k -> quote(k) + " = ?").collect(Collectors.joining(" AND "));
  }
}
