package io.inlet.server.grpc;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.inlet.api.hstream.HStreamApiGrpc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code hstream.server.HStreamApi} service from {@link RpcGroup}s: each method is
 * served by the group that lists it; a method no group lists answers UNIMPLEMENTED with a message
 * that says which part of Inlet will bring it ({@link NotYetAvailable}). Every call first passes
 * {@link NameLengthLimit}.
 */
public final class HStreamApiDefinition {
  private HStreamApiDefinition() {}

  public static ServerServiceDefinition compose(List<? extends RpcGroup> groups) {
    Map<String, RpcGroup> owners = new HashMap<>();
    for (RpcGroup group : groups) {
      for (MethodDescriptor<?, ?> method : group.methods()) {
        RpcGroup previous = owners.put(method.getFullMethodName(), group);
        if (previous != null) {
          throw new IllegalStateException(
              method.getFullMethodName() + " is claimed by two RPC groups");
        }
      }
    }
    Map<RpcGroup, ServerServiceDefinition> bound = new HashMap<>();
    ServerServiceDefinition.Builder service =
        ServerServiceDefinition.builder(HStreamApiGrpc.getServiceDescriptor());
    for (Object item : HStreamApiGrpc.getServiceDescriptor().getMethods()) {
      MethodDescriptor<?, ?> method = (MethodDescriptor<?, ?>) item;
      RpcGroup owner = owners.get(method.getFullMethodName());
      if (owner == null) {
        service.addMethod(notYetAvailable(method));
      } else {
        service.addMethod(
            bound
                .computeIfAbsent(owner, HStreamApiDefinition::bind)
                .getMethod(method.getFullMethodName()));
      }
    }
    return ServerInterceptors.intercept(service.build(), new NameLengthLimit());
  }

  private static ServerServiceDefinition bind(RpcGroup group) {
    List<io.grpc.ServerInterceptor> interceptors = new java.util.ArrayList<>(group.interceptors());
    // ServerInterceptors.intercept runs the last interceptor first.
    java.util.Collections.reverse(interceptors);
    return ServerInterceptors.intercept(HStreamApiGrpc.bindService(group), interceptors);
  }

  private static <Q, R> ServerMethodDefinition<Q, R> notYetAvailable(
      MethodDescriptor<Q, R> method) {
    String message = NotYetAvailable.messageFor(method.getBareMethodName());
    return ServerMethodDefinition.create(
        method,
        (ServerCall<Q, R> call, Metadata headers) -> {
          call.close(GrpcErrors.unimplemented(message).getStatus(), new Metadata());
          return new ServerCall.Listener<>() {};
        });
  }
}
