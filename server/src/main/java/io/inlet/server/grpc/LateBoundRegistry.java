package io.inlet.server.grpc;

import io.grpc.HandlerRegistry;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;

/**
 * Lets the gRPC server bind its port before the service exists: the service needs the bound port
 * (to advertise it) when the port setting is 0. Until {@link #set} is called every method is
 * unknown.
 */
public final class LateBoundRegistry extends HandlerRegistry {
  private volatile ServerServiceDefinition service;

  public void set(ServerServiceDefinition service) {
    this.service = service;
  }

  @Override
  public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
    ServerServiceDefinition s = service;
    return s == null ? null : s.getMethod(methodName);
  }
}
