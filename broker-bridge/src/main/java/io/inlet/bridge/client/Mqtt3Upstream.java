package io.inlet.bridge.client;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.lifecycle.Mqtt3ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.inlet.api.ingest.InboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * MQTT 3.1.1 upstream: clean session off, so the broker keeps the session (and queues QoS 1
 * messages) for as long as it is configured to. A 3.1.1 subscribe resends retained messages, so a
 * retained message can be stored again after a restart (at-least-once).
 */
final class Mqtt3Upstream implements UpstreamClient {
  private final BridgeSpec spec;
  private final String clientId;
  private final String source;
  private Mqtt3AsyncClient client;

  Mqtt3Upstream(BridgeSpec spec, String clientId) {
    this.spec = spec;
    this.clientId = clientId;
    this.source = "bridge:" + spec.name();
  }

  @Override
  public void start(Events events) {
    Mqtt3ClientBuilder builder =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier(clientId)
            .serverHost(spec.host())
            .serverPort(spec.port())
            .executorConfig()
            .nettyThreads(1)
            .applyExecutorConfig()
            .addConnectedListener(
                context ->
                    events.connected(
                        ((Mqtt3ClientConnectedContext) context).getConnAck().isSessionPresent()))
            .addDisconnectedListener(context -> reconnect(context, events));
    if (spec.tls() != null) {
      builder = builder.sslConfig(TlsContexts.sslConfig(spec.tls()));
    }
    if (spec.username() != null) {
      Mqtt3SimpleAuthBuilder.Complete auth = Mqtt3SimpleAuth.builder().username(spec.username());
      if (spec.password() != null) {
        auth = auth.password(spec.password().getBytes(StandardCharsets.UTF_8));
      }
      builder = builder.simpleAuth(auth.build());
    }
    client = builder.buildAsync();
    client.publishes(
        MqttGlobalPublishFilter.ALL,
        publish -> events.message(toInbound(publish), publish::acknowledge),
        true);
    client.connectWith().cleanSession(false).keepAlive((int) spec.keepAlive().toSeconds()).send();
  }

  private static void reconnect(MqttClientDisconnectedContext context, Events events) {
    long delay = events.disconnected(context.getCause());
    if (delay >= 0) {
      context.getReconnector().reconnect(true).delay(delay, TimeUnit.MILLISECONDS);
    } else {
      context.getReconnector().reconnect(false);
    }
  }

  private InboundMessage toInbound(Mqtt3Publish publish) {
    return new InboundMessage(
        publish.getTopic().toString(),
        publish.getPayloadAsBytes(),
        publish.getQos().getCode(),
        publish.isRetain(),
        "",
        null,
        List.of(),
        null,
        source);
  }

  @Override
  public CompletableFuture<Void> subscribe(List<String> filters) {
    List<Mqtt3Subscription> subscriptions = new ArrayList<>();
    for (String filter : filters) {
      subscriptions.add(
          Mqtt3Subscription.builder().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).build());
    }
    return client
        .subscribeWith()
        .addSubscriptions(subscriptions)
        .send()
        .thenAccept(
            subAck -> {
              List<Mqtt3SubAckReturnCode> codes = subAck.getReturnCodes();
              for (int i = 0; i < codes.size(); i++) {
                if (codes.get(i).isError()) {
                  throw new IllegalStateException(
                      "the broker refused subscription " + filters.get(i));
                }
              }
            });
  }

  @Override
  public CompletableFuture<Void> disconnect() {
    if (client == null) {
      return CompletableFuture.completedFuture(null);
    }
    return client.disconnect().exceptionally(notConnected -> null);
  }
}
