package io.inlet.server.grpc;

/** What to tell a client that calls an HStreamApi method Inlet does not serve yet. */
final class NotYetAvailable {
  private NotYetAvailable() {}

  static String messageFor(String method) {
    String area;
    if (method.contains("Connector")) {
      area = "this connector method is not served by Inlet's connector runtime (cdc)";
    } else if (method.contains("View")) {
      area =
          "materialized views are not available yet: they come with Inlet's streaming-sql module";
    } else if (method.contains("Query")
        || method.contains("Queries")
        || method.contains("Sql")
        || method.contains("Schema")) {
      area = "SQL is not available yet: it comes with Inlet's streaming-sql module";
    } else {
      area = "this method is not implemented by Inlet";
    }
    return method + ": " + area;
  }
}
