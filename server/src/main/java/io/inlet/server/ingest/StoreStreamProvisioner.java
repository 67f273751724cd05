package io.inlet.server.ingest;

import io.inlet.api.append.StreamProvisioner;
import io.inlet.server.grpc.StoreErrorMapping;
import io.inlet.store.StoreException;
import io.inlet.store.StreamCatalog;
import io.inlet.store.StreamSpec;

/**
 * Creates rules' and source connectors' streams in the local store: replication factor 1, records
 * kept until trimmed (backlog 0), as {@code inlet stream create} does by default.
 */
public final class StoreStreamProvisioner implements StreamProvisioner {
  private final StreamCatalog streams;

  public StoreStreamProvisioner(StreamCatalog streams) {
    this.streams = streams;
  }

  @Override
  public boolean exists(String stream) {
    return streams.get(stream).isPresent();
  }

  @Override
  public void create(String stream, int shardCount) {
    try {
      streams.create(new StreamSpec(stream, shardCount, 1, 0));
    } catch (StoreException e) {
      if (e.reason() != StoreException.Reason.STREAM_EXISTS) {
        throw StoreErrorMapping.toInlet(e);
      }
    }
  }
}
