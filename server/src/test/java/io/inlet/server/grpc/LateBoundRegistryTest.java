package io.inlet.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.inlet.api.hstream.HStreamApiGrpc;
import io.inlet.api.hstream.LookupShardRequest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LateBoundRegistryTest {

  @Test
  void calls_before_the_service_is_bound_are_unavailable_so_clients_retry() throws Exception {
    LateBoundRegistry registry = new LateBoundRegistry();
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name).fallbackHandlerRegistry(registry).build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    try {
      StatusRuntimeException refused = null;
      try {
        HStreamApiGrpc.newBlockingStub(channel)
            .lookupShard(LookupShardRequest.newBuilder().setShardId(1).build());
      } catch (StatusRuntimeException e) {
        refused = e;
      }
      assertThat(refused).isNotNull();
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(refused.getStatus().getDescription()).contains("starting");

      registry.set(HStreamApiDefinition.compose(java.util.List.of()));
      StatusRuntimeException afterwards = null;
      try {
        HStreamApiGrpc.newBlockingStub(channel)
            .lookupShard(LookupShardRequest.newBuilder().setShardId(1).build());
      } catch (StatusRuntimeException e) {
        afterwards = e;
      }
      assertThat(afterwards).isNotNull();
      assertThat(afterwards.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    } finally {
      channel.shutdownNow();
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
