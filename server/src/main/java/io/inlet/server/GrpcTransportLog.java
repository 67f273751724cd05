package io.inlet.server;

import io.grpc.StatusRuntimeException;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * grpc-java reports a request message it refuses before any handler runs (larger than the inbound
 * limit, or not a gRPC frame) as a java.util.logging WARNING with a stack trace. That is the
 * client's mistake, and the client gets the status: here it becomes one INFO line.
 */
final class GrpcTransportLog {
  private static final Logger log = LoggerFactory.getLogger(GrpcTransportLog.class);

  /** Held so that java.util.logging keeps the configured logger (it holds loggers weakly). */
  private static final java.util.logging.Logger SERVER_STREAM =
      java.util.logging.Logger.getLogger("io.grpc.netty.NettyServerStream");

  private GrpcTransportLog() {}

  static void install() {
    Filter previous = SERVER_STREAM.getFilter();
    SERVER_STREAM.setFilter(
        record -> {
          if (isRefusedMessage(record)) {
            log.info(
                "refused a gRPC request message: {} (the inbound limit follows max-record-size)",
                record.getThrown().getMessage());
            return false;
          }
          return previous == null || previous.isLoggable(record);
        });
  }

  private static boolean isRefusedMessage(LogRecord record) {
    return record.getThrown() instanceof StatusRuntimeException
        && "Exception processing message".equals(record.getMessage());
  }
}
