package io.inlet.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.inlet.api.config.ConfigException;
import io.inlet.api.config.Option;
import io.inlet.api.config.OptionValues;
import io.inlet.api.record.BatchLimitsConfigKeys;
import io.inlet.bridge.auth.MqttAuthConfigKeys;
import io.inlet.bridge.listener.MqttListenerConfigKeys;
import io.inlet.cluster.ClusterConfigKeys;
import io.inlet.server.http.HttpConfigKeys;
import io.inlet.server.net.GrpcConfigKeys;
import io.inlet.server.sql.SqlConfigKeys;
import io.inlet.server.subscription.SubscriptionConfigKeys;
import io.inlet.store.StoreConfigKeys;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link ServerConfig} from command-line values and an optional YAML config file whose
 * keys are the flag names ({@code grpc-port: 6570}). A flag beats the file; the file beats the
 * default. Unknown keys and bad values are errors that name the key.
 */
public final class ServerConfigLoader {
  private ServerConfigLoader() {}

  /**
   * @param flags values given on the command line, by key (without the leading dashes)
   * @param configFile a YAML file, or null
   * @throws ConfigException for an unreadable file, an unknown key or a bad value
   */
  public static ServerConfig load(Map<String, String> flags, Path configFile) {
    return load(flags, configFile, Map.of());
  }

  /**
   * The same, with some defaults replaced: a key in {@code defaults} that is not given takes that
   * value and still counts as left at its default (tests use it to run a node on free ports).
   */
  static ServerConfig load(
      Map<String, String> flags, Path configFile, Map<String, String> defaults) {
    Map<String, String> values = new LinkedHashMap<>();
    if (configFile != null) {
      values.putAll(readFile(configFile));
    }
    for (Map.Entry<String, String> flag : flags.entrySet()) {
      if (InletOptions.byKey(flag.getKey()).isEmpty()) {
        throw new ConfigException("unknown setting: " + flag.getKey());
      }
      values.put(flag.getKey(), flag.getValue());
    }
    for (String key : defaults.keySet()) {
      if (InletOptions.byKey(key).isEmpty()) {
        throw new ConfigException("unknown setting: " + key);
      }
    }
    return compose(new CollectedValues(values, defaults));
  }

  /** The server's settings from every module's. */
  private static ServerConfig compose(OptionValues values) {
    String bind = values.get(NodeConfigKeys.BIND);
    Optional<String> advertised = values.get(NodeConfigKeys.ADVERTISED_ADDRESS);
    return new ServerConfig(
        values.get(StoreConfigKeys.DATA_DIR),
        bind,
        values.get(GrpcConfigKeys.GRPC_PORT),
        values.get(HttpConfigKeys.HTTP_PORT),
        advertised.orElseGet(() -> defaultAdvertisedAddress(bind)),
        values.get(NodeConfigKeys.NODE_ID),
        BatchLimitsConfigKeys.batchLimits(values),
        SubscriptionConfigKeys.unackedLimits(values),
        values.get(StoreConfigKeys.RETENTION_CHECK_INTERVAL),
        values.get(NodeConfigKeys.SHUTDOWN_TIMEOUT),
        values.get(NodeConfigKeys.LOG_LEVEL),
        values.get(StoreConfigKeys.UNSAFE_SKIP_FSYNC),
        StoreConfigKeys.groupCommit(values),
        values.get(StoreConfigKeys.SHARD_STORAGE),
        values.get(StoreConfigKeys.OPEN_SEALED_SEGMENTS),
        ExHookConfig.from(values),
        new MqttConfig(
            MqttListenerConfigKeys.settings(values, bind),
            MqttAuthConfigKeys.settings(values, bind)),
        new NetworkConfig(
            GrpcConfigKeys.grpc(values),
            GrpcConfigKeys.exhook(values),
            HttpConfigKeys.settings(values),
            NodeConfigKeys.ioThreads(values.get(NodeConfigKeys.IO_THREADS))),
        SqlConfigKeys.settings(values),
        ClusterConfigKeys.settings(
            values, advertised.orElseGet(() -> defaultAdvertisedAddress(bind))),
        ClusterConfigKeys.metadata(
            values, values.get(StoreConfigKeys.DATA_DIR), values.get(NodeConfigKeys.NODE_ID)),
        ClusterConfigKeys.replication(values, values.get(StoreConfigKeys.DATA_DIR)));
  }

  /** Given values (flags over the file) over the defaults. */
  private record CollectedValues(Map<String, String> given, Map<String, String> defaults)
      implements OptionValues {
    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
      String text = given.get(option.key());
      if (text == null) {
        text = defaults.get(option.key());
      }
      if (text == null) {
        if (option.hasDerivedDefault()) {
          return (T) Optional.empty();
        }
        text = option.defaultText();
      }
      return option.parse(text);
    }

    @Override
    public boolean isSet(Option<?> option) {
      return given.containsKey(option.key());
    }
  }

  /** The keys and values of a YAML config file, as text. */
  static Map<String, String> readFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "config file " + file + " is not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return Collections.emptyMap();
    }
    if (!root.isObject()) {
      throw new ConfigException(
          "config file " + file + " must be a mapping of setting names to values");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String key = field.getKey();
      if (MqttRoutingConfigLoader.SECTIONS.contains(key)) {
        continue; // structured sections: read by MqttRoutingConfigLoader
      }
      if (InletOptions.byKey(key).isEmpty()) {
        throw new ConfigException("unknown setting in config file " + file + ": " + key);
      }
      JsonNode value = field.getValue();
      if (!value.isValueNode() || value.isNull()) {
        throw new ConfigException(key + " must be a single value, found: " + value);
      }
      values.put(key, value.asText());
    }
    return values;
  }

  /**
   * The bind address, or when it is a wildcard address, the first non-loopback IPv4 address of an
   * interface that is up (127.0.0.1 when there is none).
   */
  static String defaultAdvertisedAddress(String bind) {
    if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.equals("[::]")) {
      return bind;
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            return address.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // fall through: loopback is the safe answer
    }
    return "127.0.0.1";
  }
}
