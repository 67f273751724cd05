package io.inlet.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.inlet.api.record.BatchLimits;
import io.inlet.server.subscription.UnackedLimits;
import io.inlet.store.StoreOptions;
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
    MqttConfig.Getter getter =
        new MqttConfig.Getter() {
          @Override
          public <T> T get(Option<T> option) {
            return ServerConfigLoader.get(values, option);
          }
        };
    String bind = get(values, InletOptions.BIND);
    Optional<String> advertised = get(values, InletOptions.ADVERTISED_ADDRESS);
    return new ServerConfig(
        get(values, InletOptions.DATA_DIR),
        bind,
        get(values, InletOptions.GRPC_PORT),
        get(values, InletOptions.HTTP_PORT),
        advertised.orElseGet(() -> defaultAdvertisedAddress(bind)),
        get(values, InletOptions.NODE_ID),
        batchLimits(values),
        new UnackedLimits(
            get(values, InletOptions.SUBSCRIPTION_MAX_UNACKED_RECORDS),
            get(values, InletOptions.NODE_MAX_UNACKED_RECORDS)),
        get(values, InletOptions.RETENTION_CHECK_INTERVAL),
        get(values, InletOptions.SHUTDOWN_TIMEOUT),
        get(values, InletOptions.LOG_LEVEL),
        get(values, InletOptions.UNSAFE_SKIP_FSYNC),
        new StoreOptions.GroupCommit(
            get(values, InletOptions.STORE_MAX_QUEUED_BYTES),
            get(values, InletOptions.STORE_GROUP_MAX_BYTES),
            get(values, InletOptions.STORE_GROUP_MAX_OPS),
            get(values, InletOptions.STORE_ACK_THREADS)),
        new ExHookConfig(
            get(values, InletOptions.EXHOOK_ENABLED),
            get(values, InletOptions.EXHOOK_PORT),
            values.containsKey(InletOptions.EXHOOK_PORT.key()),
            get(values, InletOptions.EXHOOK_TOPICS),
            get(values, InletOptions.EXHOOK_DENY_ON_FAILURE),
            get(values, InletOptions.EXHOOK_ANSWER_TIMEOUT)),
        MqttConfig.from(values, bind, getter),
        NetworkConfig.from(getter),
        SqlConfig.from(getter));
  }

  private static BatchLimits batchLimits(Map<String, String> values) {
    int payload = get(values, InletOptions.MAX_RECORD_SIZE);
    int decompressed = get(values, InletOptions.MAX_DECOMPRESSED_BATCH_SIZE);
    if (decompressed < payload) {
      throw new ConfigException(
          InletOptions.MAX_DECOMPRESSED_BATCH_SIZE.key()
              + " must be at least "
              + InletOptions.MAX_RECORD_SIZE.key()
              + " ("
              + payload
              + " bytes), found: "
              + decompressed);
    }
    return new BatchLimits(payload, decompressed, get(values, InletOptions.MAX_BATCH_RECORDS));
  }

  @SuppressWarnings("unchecked")
  private static <T> T get(Map<String, String> values, Option<T> option) {
    String text = values.get(option.key());
    if (text == null) {
      if (option.hasDerivedDefault()) {
        return (T) Optional.empty();
      }
      text = option.defaultText();
    }
    return option.parse(text);
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
