package io.inlet.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Where the CLI dials Inlet: {@code host:port}, {@code host} (port 6570) or {@code [v6]:port}. */
record ServerAddress(String host, int port) {
  static final int DEFAULT_PORT = 6570;

  static ServerAddress parse(String text) {
    String value = text.strip();
    String host;
    String port = null;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        throw invalid(text);
      }
      host = value.substring(1, close);
      String rest = value.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw invalid(text);
        }
        port = rest.substring(1);
      }
    } else {
      int colon = value.lastIndexOf(':');
      if (colon >= 0 && value.indexOf(':') != colon) {
        throw invalid(text); // a bare IPv6 address needs brackets
      }
      host = colon < 0 ? value : value.substring(0, colon);
      port = colon < 0 ? null : value.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw invalid(text);
    }
    if (port == null) {
      return new ServerAddress(host, DEFAULT_PORT);
    }
    try {
      int number = Integer.parseInt(port);
      if (number < 1 || number > 65535) {
        throw new TypeConversionException("the port must be 1..65535, found: '" + text + "'");
      }
      return new ServerAddress(host, number);
    } catch (NumberFormatException e) {
      throw invalid(text);
    }
  }

  private static TypeConversionException invalid(String text) {
    return new TypeConversionException("expected host:port, found: '" + text + "'");
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** Lets picocli parse {@code --server}. */
  static final class Converter implements ITypeConverter<ServerAddress> {
    @Override
    public ServerAddress convert(String value) {
      return parse(value);
    }
  }
}
