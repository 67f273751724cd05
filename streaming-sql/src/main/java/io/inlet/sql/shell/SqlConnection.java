package io.inlet.sql.shell;

import io.inlet.api.hstream.HStreamApiGrpc;

/** The node the shell talks to, as the CLI connected to it (address, TLS, deadlines). */
public interface SqlConnection {
  /** A stub for one request/response call, its deadline starting now. */
  HStreamApiGrpc.HStreamApiBlockingStub unary();

  /** A stub without deadline, for StreamingFetch. */
  HStreamApiGrpc.HStreamApiStub async();
}
