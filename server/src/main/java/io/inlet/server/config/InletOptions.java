package io.inlet.server.config;

import io.inlet.api.config.Option;
import io.inlet.api.record.BatchLimitsConfigKeys;
import io.inlet.bridge.auth.MqttAuthConfigKeys;
import io.inlet.bridge.listener.MqttListenerConfigKeys;
import io.inlet.cluster.ClusterConfigKeys;
import io.inlet.emqx.ExHookConfigKeys;
import io.inlet.server.http.HttpConfigKeys;
import io.inlet.server.net.GrpcConfigKeys;
import io.inlet.server.sql.SqlConfigKeys;
import io.inlet.server.subscription.SubscriptionConfigKeys;
import io.inlet.store.StoreConfigKeys;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every setting of the {@code server} command: the options each module declares next to the code it
 * configures, composed. The command's flags, the config file's keys and the reference table in the
 * docs are generated from {@link #ALL}.
 */
public final class InletOptions {
  private InletOptions() {}

  public static final List<Option<?>> ALL =
      Stream.of(
              StoreConfigKeys.ALL,
              NodeConfigKeys.ALL,
              GrpcConfigKeys.ALL,
              BatchLimitsConfigKeys.ALL,
              SubscriptionConfigKeys.ALL,
              HttpConfigKeys.ALL,
              ExHookConfigKeys.ALL,
              MqttListenerConfigKeys.ALL,
              MqttAuthConfigKeys.ALL,
              SqlConfigKeys.ALL,
              ClusterConfigKeys.ALL)
          .flatMap(List::stream)
          .toList();

  public static Optional<Option<?>> byKey(String key) {
    return ALL.stream().filter(o -> o.key().equals(key)).findFirst().map(o -> (Option<?>) o);
  }
}
