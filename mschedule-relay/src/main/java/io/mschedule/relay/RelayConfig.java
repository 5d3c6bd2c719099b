package io.mschedule.relay;

import io.mschedule.protocol.keys.KeyFiles;
import io.mschedule.protocol.settings.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Relay settings, validated once at start-up and immutable afterwards. */
public record RelayConfig(
    Path dataDir,
    List<MasterEndpoint> masters,
    String agentBind,
    String plainAgentBind,
    String advertise,
    String datacenter,
    String joinToken,
    Duration callTimeout,
    long spoolMaxBytes,
    int maxMessageBytes) {

  /** A master's agent port and the public key the relay expects there. */
  public record MasterEndpoint(String endpoint, byte[] key) {
    public MasterEndpoint {
      key = key.clone();
    }

    @Override
    public byte[] key() {
      return key.clone();
    }
  }

  public static final String DEFAULT_DATA_DIR = "./mschedule-data/relay";
  public static final String DEFAULT_MASTER = "tcp://127.0.0.1:5555";
  public static final String DEFAULT_AGENT_BIND = "tcp://0.0.0.0:5556";
  public static final int DEFAULT_CALL_TIMEOUT_SECONDS = 10;
  public static final long DEFAULT_SPOOL_MAX_BYTES = 1L << 30;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  public static final String DATA_DIR = "data-dir";
  public static final String MASTER = "master";
  public static final String MASTER_KEY = "master-key";
  public static final String AGENT_BIND = "agent-bind";
  public static final String PLAIN_AGENT_BIND = "plain-agent-bind";
  public static final String ADVERTISE = "advertise";
  public static final String DATACENTER = "datacenter";
  public static final String JOIN_TOKEN = "join-token";
  public static final String CALL_TIMEOUT = "call-timeout";
  public static final String SPOOL_MAX_BYTES = "spool-max-bytes";

  /** Every key, in the order of the README's settings table. */
  public static final List<String> KEYS =
      List.of(
          DATA_DIR,
          MASTER,
          MASTER_KEY,
          AGENT_BIND,
          PLAIN_AGENT_BIND,
          ADVERTISE,
          DATACENTER,
          JOIN_TOKEN,
          CALL_TIMEOUT,
          SPOOL_MAX_BYTES);

  /** Datacenter names: usable as a label value in targets. */
  static final Pattern DATACENTER_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public RelayConfig {
    masters = List.copyOf(masters);
  }

  /** The address agents are told to connect to: {@code advertise}, else {@code agent-bind}. */
  public String address() {
    return advertise != null ? advertise : agentBind;
  }

  @Override
  public String toString() {
    return "RelayConfig[dataDir="
        + dataDir
        + ", masters="
        + masters.stream().map(MasterEndpoint::endpoint).toList()
        + ", agentBind="
        + agentBind
        + ", plainAgentBind="
        + plainAgentBind
        + ", datacenter="
        + datacenter
        + ", joinToken="
        + (joinToken == null ? "none" : "<hidden>")
        + "]";
  }

  /** Builds the configuration from values given directly, keyed by setting (as flags). */
  public static RelayConfig from(Map<String, String> settings) {
    return from(Settings.builder(KEYS).flags(settings).build());
  }

  /**
   * Builds and validates the configuration from merged settings (file, environment, flags).
   *
   * @throws io.mschedule.protocol.settings.SettingsException naming the first bad setting
   */
  public static RelayConfig from(Settings s) {
    List<String> endpoints = s.endpoints(MASTER, List.of(DEFAULT_MASTER));
    s.required(
        MASTER_KEY,
        "the master's public key, printed by 'mschedule master key' on the master (the relay"
            + " refuses a master with any other key)");
    List<byte[]> keys = s.custom(MASTER_KEY, null, RelayConfig::keys);
    if (keys.size() != 1 && keys.size() != endpoints.size()) {
      throw s.invalid(
          MASTER_KEY,
          keys.size()
              + " keys for "
              + endpoints.size()
              + " master endpoints: give one key for all, or one per endpoint in the order of"
              + " --master");
    }
    List<MasterEndpoint> masters = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      masters.add(new MasterEndpoint(endpoints.get(i), keys.get(keys.size() == 1 ? 0 : i)));
    }
    return new RelayConfig(
        s.path(DATA_DIR, DEFAULT_DATA_DIR),
        masters,
        s.endpoint(AGENT_BIND, DEFAULT_AGENT_BIND),
        s.endpoint(PLAIN_AGENT_BIND, null),
        s.endpoint(ADVERTISE, null),
        s.custom(DATACENTER, null, RelayConfig::datacenter),
        s.string(JOIN_TOKEN, null),
        s.seconds(CALL_TIMEOUT, DEFAULT_CALL_TIMEOUT_SECONDS, 1, 3600),
        s.custom(SPOOL_MAX_BYTES, DEFAULT_SPOOL_MAX_BYTES, RelayConfig::bytes),
        DEFAULT_MAX_MESSAGE_BYTES);
  }

  private static List<byte[]> keys(String text) {
    List<byte[]> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      out.add(KeyFiles.parseKey(part));
    }
    return out;
  }

  private static String datacenter(String name) {
    if (!DATACENTER_PATTERN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "expected up to 63 letters, digits, '.', '_' or '-' (the name is a label value in"
              + " targets)");
    }
    return name;
  }

  private static long bytes(String text) {
    long v;
    try {
      v = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number of bytes, e.g. 1073741824");
    }
    if (v < 1024 * 1024) {
      throw new IllegalArgumentException("expected at least 1048576 (1 MiB)");
    }
    return v;
  }
}
