package io.inlet.server.subscription;

import io.grpc.MethodDescriptor;
import io.inlet.server.grpc.LocalNode;
import io.inlet.server.grpc.RpcGroup;
import io.inlet.store.StreamStore;
import java.util.Set;

/**
 * Subscriptions and StreamingFetch. (Placeholder: the implementation arrives on the subs branch.)
 */
public final class SubscriptionRpcs implements RpcGroup, AutoCloseable {

  public SubscriptionRpcs(StreamStore store, LocalNode node) {}

  @Override
  public Set<MethodDescriptor<?, ?>> methods() {
    return Set.of();
  }

  /** Ends every consumer's stream and flushes checkpoints; idempotent. */
  @Override
  public void close() {}
}
