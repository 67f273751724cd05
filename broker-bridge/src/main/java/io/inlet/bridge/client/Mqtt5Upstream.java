package io.inlet.bridge.client;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.inlet.api.ingest.InboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * MQTT 5 upstream: clean start off with a session expiry, so the broker queues QoS 1 messages while
 * Inlet is away; subscriptions use retain handling "send only for a new subscription", so a restart
 * does not replay retained messages that were stored already.
 */
final class Mqtt5Upstream implements UpstreamClient {
  private final BridgeSpec spec;
  private final String clientId;
  private final String source;
  private Mqtt5AsyncClient client;

  Mqtt5Upstream(BridgeSpec spec, String clientId) {
    this.spec = spec;
    this.clientId = clientId;
    this.source = "bridge:" + spec.name();
  }

  @Override
  public void start(Events events) {
    Mqtt5ClientBuilder builder =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(clientId)
            .serverHost(spec.host())
            .serverPort(spec.port())
            .executorConfig()
            .nettyThreads(1)
            .applyExecutorConfig()
            .addConnectedListener(
                context ->
                    events.connected(
                        ((Mqtt5ClientConnectedContext) context).getConnAck().isSessionPresent()))
            .addDisconnectedListener(context -> reconnect(context, events));
    if (spec.tls() != null) {
      builder = builder.sslConfig(TlsContexts.sslConfig(spec.tls()));
    }
    if (spec.username() != null || spec.password() != null) {
      byte[] password =
          spec.password() == null ? null : spec.password().getBytes(StandardCharsets.UTF_8);
      Mqtt5SimpleAuthBuilder.Complete auth =
          spec.username() != null
              ? Mqtt5SimpleAuth.builder().username(spec.username())
              : Mqtt5SimpleAuth.builder().password(password);
      if (spec.username() != null && password != null) {
        auth = auth.password(password);
      }
      builder = builder.simpleAuth(auth.build());
    }
    client = builder.buildAsync();
    client.publishes(
        MqttGlobalPublishFilter.ALL,
        publish -> events.message(toInbound(publish), publish::acknowledge),
        true);
    client
        .connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(spec.sessionExpiry().toSeconds())
        .keepAlive((int) spec.keepAlive().toSeconds())
        .send();
  }

  private static void reconnect(MqttClientDisconnectedContext context, Events events) {
    long delay = events.disconnected(context.getCause());
    if (delay >= 0) {
      context.getReconnector().reconnect(true).delay(delay, TimeUnit.MILLISECONDS);
    } else {
      context.getReconnector().reconnect(false);
    }
  }

  private InboundMessage toInbound(Mqtt5Publish publish) {
    List<? extends Mqtt5UserProperty> properties = publish.getUserProperties().asList();
    List<Map.Entry<String, String>> userProperties = new ArrayList<>(properties.size());
    for (Mqtt5UserProperty property : properties) {
      userProperties.add(Map.entry(property.getName().toString(), property.getValue().toString()));
    }
    return new InboundMessage(
        publish.getTopic().toString(),
        publish.getPayloadAsBytes(),
        publish.getQos().getCode(),
        publish.isRetain(),
        "",
        null,
        userProperties,
        publish.getContentType().map(Object::toString).orElse(null),
        source);
  }

  @Override
  public CompletableFuture<Void> subscribe(List<String> filters) {
    List<Mqtt5Subscription> subscriptions = new ArrayList<>();
    for (String filter : filters) {
      subscriptions.add(
          Mqtt5Subscription.builder()
              .topicFilter(filter)
              .qos(MqttQos.AT_LEAST_ONCE)
              .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST)
              .build());
    }
    return client
        .subscribeWith()
        .addSubscriptions(subscriptions)
        .send()
        .thenAccept(
            subAck -> {
              List<Mqtt5SubAckReasonCode> codes = subAck.getReasonCodes();
              for (int i = 0; i < codes.size(); i++) {
                if (codes.get(i).isError()) {
                  throw new IllegalStateException(
                      "the broker refused subscription " + filters.get(i) + ": " + codes.get(i));
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
