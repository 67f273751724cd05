package io.inlet.server.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptor;
import io.inlet.api.hstream.HStreamApiGrpc;
import java.util.List;
import java.util.Set;

/**
 * One area of the HStreamApi service (streams, readers, subscriptions, cluster, ...). A group
 * implements only the methods it lists in {@link #methods()}; {@link HStreamApiDefinition} composes
 * the groups into the one gRPC service.
 */
public interface RpcGroup extends HStreamApiGrpc.AsyncService {

  /** The HStreamApi methods this group answers; every method belongs to exactly one group. */
  Set<MethodDescriptor<?, ?>> methods();

  /** Interceptors wrapped around this group's methods only (first in the list runs first). */
  default List<ServerInterceptor> interceptors() {
    return List.of();
  }
}
