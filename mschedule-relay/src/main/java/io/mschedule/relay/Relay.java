package io.mschedule.relay;

import io.mschedule.protocol.keys.KeyFiles;
import io.mschedule.protocol.message.RelayMessages;
import io.mschedule.protocol.zerorpc.CurveKeys;
import io.mschedule.protocol.zerorpc.ServerOptions;
import io.mschedule.protocol.zerorpc.ZeroRpcServer;
import io.mschedule.relay.agents.AgentPort;
import io.mschedule.relay.agents.AgentStreams;
import io.mschedule.relay.uplink.MasterUplink;
import io.mschedule.relay.uplink.UplinkListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.msgpack.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires and runs a relay: its key pair and id, the session with the master, the agent port. */
public final class Relay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  /** The relay's CURVE key pair in its data dir: {@code relay.key}, {@code relay.pub}. */
  public static final String KEY_NAME = "relay";

  /** Channel heartbeats towards agents, as the master's. */
  static final Duration AGENT_CHANNEL_HEARTBEAT = Duration.ofSeconds(5);

  private final String id;
  private final MasterUplink uplink;
  private final ZeroRpcServer server;
  private final AgentStreams streams;

  private Relay(String id, MasterUplink uplink, ZeroRpcServer server, AgentStreams streams) {
    this.id = id;
    this.uplink = uplink;
    this.server = server;
    this.streams = streams;
  }

  /** The relay's public key as Z85 text (creating the pair in {@code dataDir} if needed). */
  public static String publicKey(Path dataDir) {
    return KeyFiles.publicKeyText(dataDir, KEY_NAME);
  }

  public static Relay start(RelayConfig config, String version) {
    CurveKeys.KeyPair keys = KeyFiles.loadOrCreate(config.dataDir(), KEY_NAME);
    String id = RelayIdentity.loadOrCreate(config.dataDir());
    Holder holder = new Holder();
    MasterUplink uplink =
        new MasterUplink(
            id,
            config.masters().stream()
                .map(m -> new MasterUplink.Endpoint(m.endpoint(), m.key()))
                .toList(),
            keys,
            () ->
                new RelayMessages.Registration(
                    id, config.datacenter(), config.address(), 0, version, config.joinToken()),
            config.callTimeout(),
            config.maxMessageBytes(),
            holder);
    AgentStreams streams = new AgentStreams(uplink::unlink);
    holder.streams = streams;
    ZeroRpcServer server;
    try {
      server =
          ZeroRpcServer.start(
              new ServerOptions(config.agentBind())
                  .name("mschedule-relay")
                  .heartbeatInterval(AGENT_CHANNEL_HEARTBEAT)
                  .maxMessageBytes(config.maxMessageBytes())
                  .curve(keys.publicKey(), keys.secretKey()),
              new AgentPort(id, uplink, streams));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot listen for agents on " + config.agentBind() + ": " + e.getMessage(), e);
    }
    uplink.start();
    log.info(
        "relay {} serving agents on {} (datacenter {}), master {}",
        id,
        config.agentBind(),
        config.datacenter() == null ? "none" : config.datacenter(),
        config.masters().stream().map(RelayConfig.MasterEndpoint::endpoint).toList());
    return new Relay(id, uplink, server, streams);
  }

  /** Routes the master's items to the agents' streams. */
  private static final class Holder implements UplinkListener {
    volatile AgentStreams streams;

    @Override
    public void onOrder(List<String> agents, List<Long> numbers, Value order) {
      for (int i = 0; i < agents.size(); i++) {
        streams.deliver(agents.get(i), numbers.get(i), order);
      }
    }

    @Override
    public void onUnlink(String agentId, long stream, String error, String message) {
      streams.end(agentId, stream, error, message);
    }

    @Override
    public void onDown() {
      streams.endAll("LostRemote", "the relay lost its master");
    }
  }

  public String id() {
    return id;
  }

  public int agentPort() {
    return server.port();
  }

  public boolean isLinked() {
    return uplink.isUp();
  }

  public int agents() {
    return streams.size();
  }

  @Override
  public void close() {
    server.close();
    uplink.close();
  }
}
