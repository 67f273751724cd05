package io.inlet.server.grpc;

import io.grpc.HandlerRegistry;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.util.HashMap;
import java.util.Map;

/**
 * Lets the gRPC server bind its port before the service exists: the service needs the bound port
 * (to advertise it) when the port setting is 0. Until {@link #set} is called every method is
 * unknown.
 */
public final class LateBoundRegistry extends HandlerRegistry {
  private volatile Map<String, ServerMethodDefinition<?, ?>> methods = Map.of();

  /** Serves these services (HStreamApi, InletAdmin, ...) from now on. */
  public void set(ServerServiceDefinition... services) {
    Map<String, ServerMethodDefinition<?, ?>> all = new HashMap<>();
    for (ServerServiceDefinition service : services) {
      for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
        all.put(method.getMethodDescriptor().getFullMethodName(), method);
      }
    }
    this.methods = Map.copyOf(all);
  }

  @Override
  public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
    return methods.get(methodName);
  }
}
