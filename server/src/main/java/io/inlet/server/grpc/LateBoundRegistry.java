package io.inlet.server.grpc;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Lets the gRPC server bind its port before the service exists: the service needs the bound port
 * (to advertise it) when the port setting is 0. Until {@link #set} is called every call is answered
 * UNAVAILABLE ("starting"), which clients retry, rather than UNIMPLEMENTED, which they do not.
 */
public final class LateBoundRegistry extends HandlerRegistry {
  private volatile Map<String, ServerMethodDefinition<?, ?>> methods;

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
    Map<String, ServerMethodDefinition<?, ?>> bound = methods;
    return bound == null ? starting(methodName) : bound.get(methodName);
  }

  private static ServerMethodDefinition<byte[], byte[]> starting(String methodName) {
    MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNKNOWN)
            .setFullMethodName(methodName)
            .setRequestMarshaller(RawBytes.INSTANCE)
            .setResponseMarshaller(RawBytes.INSTANCE)
            .build();
    ServerCallHandler<byte[], byte[]> handler =
        (ServerCall<byte[], byte[]> call, Metadata headers) -> {
          call.close(
              GrpcErrors.unavailable("the node is starting; retry shortly").getStatus(),
              new Metadata());
          return new ServerCall.Listener<>() {};
        };
    return ServerMethodDefinition.create(method, handler);
  }

  private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
