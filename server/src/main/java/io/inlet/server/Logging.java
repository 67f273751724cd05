package io.inlet.server;

/**
 * Sets up slf4j-simple before the first logger is created: the level from the log-level setting,
 * timestamps, and third-party libraries kept quiet (including what grpc-java logs about clients'
 * mistakes through java.util.logging, see {@link GrpcTransportLog}).
 */
final class Logging {
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private Logging() {}

  static void configure(String level) {
    setIfAbsent("defaultLogLevel", level);
    setIfAbsent("showDateTime", "true");
    setIfAbsent("dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setIfAbsent("showThreadName", "false");
    setIfAbsent("showShortLogName", "true");
    setIfAbsent("log.io.netty", level.equals("trace") ? "debug" : "warn");
    setIfAbsent("log.io.grpc", level.equals("trace") ? "debug" : "warn");
    // Flink (SQL queries) logs every job and task state change at info.
    setIfAbsent("log.org.apache.flink", level.equals("trace") ? "debug" : "warn");
    GrpcTransportLog.install();
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(PREFIX + key) == null) {
      System.setProperty(PREFIX + key, value);
    }
  }
}
