package io.inlet.server.cluster;

import static io.inlet.cli.CliRun.at;
import static io.inlet.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.inlet.cli.CliRun;
import io.inlet.server.testing.MqttLogins;
import io.inlet.server.testing.StreamContents;
import io.inlet.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime mapping rules and MQTT users in a cluster are kept in the replicated metadata: a rule
 * added through one node routes publishes on every node's MQTT listener, and a rule deleted through
 * another stops routing everywhere. Before, a rule lived in the store of the node it was added
 * through, and the other nodes' listeners sent those publishes to the built-in catch-all stream. A
 * user added through one node logs in on every node, and no longer once deleted through another.
 */
class ClusterRulesIT {
  @TempDir Path dir;
  private LocalCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void a_rule_added_through_one_node_routes_on_every_node() {
    cluster = LocalCluster.start(dir, 3, Map.of("mqtt-port", "0"));
    cluster.client(1).createStream("meters", 1);
    for (int node = 1; node <= 3; node++) {
      int asked = node;
      // Each node reads the shared rules once the metadata answers after its start; until then
      // `rule list` (and routing) answers UNAVAILABLE.
      Await.until(
          () ->
              "node "
                  + asked
                  + " has read the shared rules: "
                  + run(at(address(asked), "rule", "list")),
          LocalCluster.CONVERGE,
          () -> run(at(address(asked), "rule", "list")).exitCode() == 0);
    }
    CliRun added =
        run(
            at(
                address(1),
                "rule",
                "add",
                "meters",
                "--topic",
                "site/+/meter",
                "--stream",
                "meters",
                "--position",
                "10"));
    assertThat(added.exitCode()).as(added.toString()).isZero();

    for (int node = 1; node <= 3; node++) {
      int through = node;
      Await.until(
          () -> "node " + through + " lists the rule: " + rules(through),
          LocalCluster.CONVERGE,
          () -> rules(through).contains("site/+/meter"));
      publish(through, "site/a/meter", "via-" + through);
    }
    Await.until(
        () -> "every publish is in stream meters: " + meters(),
        LocalCluster.CONVERGE,
        () -> meters().containsAll(List.of("via-1", "via-2", "via-3")));

    CliRun deleted = run(at(address(2), "rule", "delete", "meters"));
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    Await.until(
        () -> "node 3 no longer lists the rule: " + rules(3),
        LocalCluster.CONVERGE,
        () -> !rules(3).contains("site/+/meter"));
    publish(3, "site/a/meter", "after-delete");
    assertThat(StreamContents.payloads(cluster.client(1), "mqtt"))
        .as("the catch-all stream takes the publish once the rule is gone")
        .contains("after-delete");
    assertThat(meters()).doesNotContain("after-delete");
  }

  @Test
  void a_user_added_through_one_node_logs_in_on_every_node_until_deleted_through_another() {
    cluster = LocalCluster.start(dir, 3, Map.of("mqtt-port", "0", "allow-anonymous", "false"));
    Await.until(
        () -> "node 1 takes users: " + run(at(address(1), "user", "list")),
        LocalCluster.CONVERGE,
        () -> run(at(address(1), "user", "list")).exitCode() == 0);
    CliRun added =
        run(at(address(1), "user", "add", "carol", "--password", "s3cret", "--iterations", "1000"));
    assertThat(added.exitCode()).as(added.toString()).isZero();
    assertThat(added.out()).contains("added carol");

    for (int node = 1; node <= 3; node++) {
      int through = node;
      Await.until(
          () -> "carol logs in on node " + through,
          LocalCluster.CONVERGE,
          () -> logsIn(through, "carol", "s3cret"));
      assertThat(logsIn(through, "carol", "wrong"))
          .as("a wrong password on node %d", node)
          .isFalse();
    }
    CliRun listed = run(at(address(2), "user", "list"));
    assertThat(listed.outLines()).as(listed.toString()).containsExactly("carol");

    CliRun deleted = run(at(address(3), "user", "delete", "carol"));
    assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
    for (int node = 1; node <= 3; node++) {
      int through = node;
      Await.until(
          () -> "carol is refused on node " + through,
          LocalCluster.CONVERGE,
          () -> !logsIn(through, "carol", "s3cret"));
    }
    CliRun again = run(at(address(1), "user", "delete", "carol"));
    assertThat(again.exitCode()).as(again.toString()).isNotZero();
    assertThat(again.err()).contains("user \"carol\" not found");
  }

  /** Whether an MQTT 5 CONNECT with these credentials is accepted by node {@code node}. */
  private boolean logsIn(int node, String username, String password) {
    return MqttLogins.logsIn(cluster.server(node).mqttPort(), username, password);
  }

  private void publish(int node, String topic, String payload) {
    Mqtt5BlockingClient device =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("device-" + node + "-" + payload)
            .serverHost("127.0.0.1")
            .serverPort(cluster.server(node).mqttPort())
            .buildBlocking();
    device.connect();
    try {
      Mqtt5PublishResult result =
          device
              .publishWith()
              .topic(topic)
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(payload.getBytes(StandardCharsets.UTF_8))
              .send();
      assertThat(
              ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode().isError())
          .as("PUBACK of %s from node %d", payload, node)
          .isFalse();
    } finally {
      device.disconnect();
    }
  }

  private String rules(int node) {
    CliRun list = run(at(address(node), "rule", "list"));
    assertThat(list.exitCode()).as(list.toString()).isZero();
    return list.out();
  }

  private List<String> meters() {
    return StreamContents.payloads(cluster.client(1), "meters");
  }

  private String address(int node) {
    return "127.0.0.1:" + cluster.server(node).grpcPort();
  }
}
