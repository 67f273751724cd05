package io.inlet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.StatusRuntimeException;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ListStreamsRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.Shard;
import io.inlet.api.hstream.Stream;
import java.util.ArrayList;
import java.util.List;

/**
 * A shard and the node that leads it, as LookupShard answers; {@code node} null and {@code error}
 * the server's reason when no node does (its owner is down, a new leader is being chosen).
 */
record ShardLeader(String stream, long shardId, ServerNode node, String error) {

  /** Every shard of every stream the node lists, with its leader: one LookupShard per shard. */
  static List<ShardLeader> all(InletClient inlet) {
    List<ShardLeader> leaders = new ArrayList<>();
    for (Stream stream :
        inlet.unary().listStreams(ListStreamsRequest.getDefaultInstance()).getStreamsList()) {
      List<Shard> shards =
          inlet
              .unary()
              .listShards(
                  ListShardsRequest.newBuilder().setStreamName(stream.getStreamName()).build())
              .getShardsList();
      for (Shard shard : shards) {
        leaders.add(lookUp(inlet, stream.getStreamName(), shard.getShardId()));
      }
    }
    return leaders;
  }

  private static ShardLeader lookUp(InletClient inlet, String stream, long shardId) {
    try {
      ServerNode node =
          inlet
              .unary()
              .lookupShard(LookupShardRequest.newBuilder().setShardId(shardId).build())
              .getServerNode();
      return new ShardLeader(stream, shardId, node, null);
    } catch (StatusRuntimeException e) {
      String reason = e.getStatus().getDescription();
      return new ShardLeader(
          stream, shardId, null, e.getStatus().getCode() + (reason == null ? "" : ": " + reason));
    }
  }

  ObjectNode toJson() {
    ObjectNode json = Output.object();
    json.put("stream", stream);
    json.set("shard", Output.unsigned(shardId));
    if (node == null) {
      json.putNull("leader");
      json.put("error", error);
    } else {
      ObjectNode leader = json.putObject("leader");
      leader.put("id", Integer.toUnsignedLong(node.getId()));
      leader.put("host", node.getHost());
      leader.put("port", node.getPort());
    }
    return json;
  }
}
