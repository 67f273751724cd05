package io.inlet.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.inlet.api.cluster.DescribeShardRequest;
import io.inlet.api.cluster.DescribeShardResponse;
import io.inlet.api.cluster.ReplicaStatus;
import io.inlet.api.hstream.ListShardsRequest;
import io.inlet.api.hstream.ListStreamsRequest;
import io.inlet.api.hstream.LookupShardRequest;
import io.inlet.api.hstream.ServerNode;
import io.inlet.api.hstream.Shard;
import io.inlet.api.hstream.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A shard and the node that leads it, as LookupShard answers; {@code node} null and {@code error}
 * the server's reason when no node does (its owner is down, a new leader is being chosen). {@code
 * status} is where the shard stands (committed LSN, each replica's lag), null when the node asked
 * does not serve the cluster's shard status (a node without {@code metadata-nodes}) or could not
 * say.
 */
record ShardLeader(
    String stream, long shardId, ServerNode node, String error, DescribeShardResponse status) {

  /**
   * Every shard of every stream the node lists, with its leader and its status: one LookupShard and
   * one ShardStatus call per shard.
   */
  static List<ShardLeader> all(InletClient inlet) {
    List<ShardLeader> leaders = new ArrayList<>();
    boolean statusServed = true;
    for (Stream stream :
        inlet.unary().listStreams(ListStreamsRequest.getDefaultInstance()).getStreamsList()) {
      List<Shard> shards =
          inlet
              .unary()
              .listShards(
                  ListShardsRequest.newBuilder().setStreamName(stream.getStreamName()).build())
              .getShardsList();
      for (Shard shard : shards) {
        ShardLeader leader = lookUp(inlet, stream.getStreamName(), shard.getShardId());
        if (leader.node() != null && statusServed) {
          try {
            leader = leader.withStatus(describe(inlet, shard.getShardId()));
          } catch (StatusRuntimeException e) {
            statusServed = e.getStatus().getCode() != Status.Code.UNIMPLEMENTED;
          }
        }
        leaders.add(leader);
      }
    }
    return leaders;
  }

  private static DescribeShardResponse describe(InletClient inlet, long shardId) {
    return inlet
        .shardStatus()
        .describe(DescribeShardRequest.newBuilder().setShardId(shardId).build());
  }

  private static ShardLeader lookUp(InletClient inlet, String stream, long shardId) {
    try {
      ServerNode node =
          inlet
              .unary()
              .lookupShard(LookupShardRequest.newBuilder().setShardId(shardId).build())
              .getServerNode();
      return new ShardLeader(stream, shardId, node, null, null);
    } catch (StatusRuntimeException e) {
      String reason = e.getStatus().getDescription();
      return new ShardLeader(
          stream,
          shardId,
          null,
          e.getStatus().getCode() + (reason == null ? "" : ": " + reason),
          null);
    }
  }

  private ShardLeader withStatus(DescribeShardResponse found) {
    return new ShardLeader(stream, shardId, node, error, found);
  }

  /** The committed LSN, or "-" when unknown. */
  String committed() {
    return status == null ? "-" : Long.toUnsignedString(status.getCommittedLsn());
  }

  /** Each replica as {@code node:lag} (entries behind the leader's log), or "-" when unknown. */
  String replicaLags() {
    if (status == null) {
      return "-";
    }
    return status.getReplicasList().stream()
        .map(r -> r.getNodeId() + ":" + Long.toUnsignedString(r.getLagEntries()))
        .collect(Collectors.joining(" "));
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
    if (status != null) {
      json.put("epoch", status.getEpoch());
      json.set("committedLsn", Output.unsigned(status.getCommittedLsn()));
      json.set("tailLsn", Output.unsigned(status.getTailLsn()));
      ArrayNode replicas = json.putArray("replicas");
      for (ReplicaStatus replica : status.getReplicasList()) {
        ObjectNode entry = replicas.addObject();
        entry.put("id", Integer.toUnsignedLong(replica.getNodeId()));
        entry.set("durableLsn", Output.unsigned(replica.getDurableLsn()));
        entry.set("lagEntries", Output.unsigned(replica.getLagEntries()));
      }
    }
    return json;
  }
}
