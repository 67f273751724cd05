package io.inlet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into one line on stderr and an exit code: 1 for a failed command (the server's
 * message and gRPC code, or a local reason), 2 for a usage error.
 */
final class CliFailures implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final int FAILED = 1;

  /** A command group run without a command: its usage on stderr, exit 2. */
  static int missingSubcommand(CommandSpec group) {
    CommandLine command = group.commandLine();
    PrintWriter err = command.getErr();
    err.println("error: missing command");
    command.usage(err);
    err.flush();
    return group.exitCodeOnInvalidInput();
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("error: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println(
        "Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    err.println("error: " + describe(e, ClientOptions.server(command)));
    if (!(e instanceof StatusRuntimeException) && !(e instanceof CliException)) {
      e.printStackTrace(err);
    }
    err.flush();
    return FAILED;
  }

  static String describe(Throwable failure, ServerAddress server) {
    if (failure instanceof CliException) {
      return failure.getMessage();
    }
    if (failure instanceof StatusRuntimeException e) {
      return describe(e.getStatus(), server);
    }
    return "unexpected failure: " + failure;
  }

  static String describe(Status status, ServerAddress server) {
    String where = server == null ? "the server" : server.toString();
    if (status.getCode() == Status.Code.UNAVAILABLE && hasCause(status, ConnectException.class)) {
      return "cannot reach Inlet at " + where + " (is it running?)";
    }
    if (status.getCode() == Status.Code.UNAVAILABLE
        && (hasCause(status, UnknownHostException.class)
            || hasCause(status, NoRouteToHostException.class))) {
      return "cannot reach Inlet at " + where + " (" + rootCause(status).getMessage() + ")";
    }
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return "no answer from Inlet at " + where + " in time (DEADLINE_EXCEEDED)";
    }
    return serverMessage(status) + " (" + status.getCode() + ")";
  }

  /** The message of an HStreamDB-style JSON status description, else the description itself. */
  static String serverMessage(Status status) {
    String description = status.getDescription();
    if (description == null || description.isBlank()) {
      Throwable cause = status.getCause();
      return cause == null ? "request failed" : cause.toString();
    }
    if (description.startsWith("{")) {
      try {
        JsonNode body = Output.JSON.readTree(description);
        JsonNode message = body.get("message");
        if (message != null && message.isTextual()) {
          return message.asText();
        }
      } catch (java.io.IOException notJson) {
        // fall through: show it as it came
      }
    }
    return description;
  }

  private static boolean hasCause(Status status, Class<? extends Throwable> type) {
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable rootCause(Status status) {
    Throwable t = status.getCause();
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
